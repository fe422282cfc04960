package io.edgegateway.loadtest.upstream;

import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpChunkedInput;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;

/** Writes the mock upstream's answer to one exchange, as its {@link ResponseInstructions} say. */
final class UpstreamResponder {

    static final String UPSTREAM_HEADER = "X-Upstream";
    static final String RECEIVED_BYTES_HEADER = "X-Received-Bytes";

    private UpstreamResponder() {
    }

    /**
     * Writes the whole answer: the head, then the body streamed as the channel can take it.
     *
     * @return the future of the last write; the caller decides whether the connection stays open
     */
    static ChannelFuture respond(ChannelHandlerContext ctx, UpstreamExchange exchange, String name, AtomicLong bodyBytesSent) {
        ResponseInstructions instructions = exchange.instructions();
        HttpRequest request = exchange.request();
        HttpResponse head = new DefaultHttpResponse(
                request.protocolVersion(), HttpResponseStatus.valueOf(instructions.status()));
        head.headers()
                .set(UPSTREAM_HEADER, name)
                .set(RECEIVED_BYTES_HEADER, exchange.receivedBytes());
        HttpUtil.setKeepAlive(head, exchange.keepsConnection());

        if (instructions.problem() == null && instructions.resetsMidBody()) {
            return respondThenBreakOff(ctx, head, instructions, bodyBytesSent);
        }
        if (instructions.problem() == null && instructions.generatesBody()) {
            head.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/octet-stream");
            return writeHead(ctx, head, instructions.bytes(), instructions.chunked(), exchange)
                    ? ctx.writeAndFlush(new HttpChunkedInput(new PatternBody(instructions.bytes(), bodyBytesSent)))
                    : ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
        }
        String text;
        String contentType = "application/json";
        if (instructions.problem() != null) {
            text = JsonBodies.error(instructions.problem());
        } else if (instructions.echo()) {
            text = JsonBodies.echo(exchange.recorded());
        } else if (exchange.requestHadBody()) {
            text = JsonBodies.received(exchange.receivedBytes());
        } else {
            text = "ok\n";
            contentType = "text/plain";
        }
        head.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
        byte[] body = text.getBytes(StandardCharsets.UTF_8);
        return writeHead(ctx, head, body.length, instructions.chunked(), exchange)
                ? ctx.writeAndFlush(new DefaultLastHttpContent(ctx.alloc().buffer(body.length).writeBytes(body)))
                : ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
    }

    /** Writes the head and tells whether a body follows (not for HEAD, 204 and 304). */
    private static boolean writeHead(
            ChannelHandlerContext ctx, HttpResponse head, long length, boolean chunked, UpstreamExchange exchange) {
        if (chunked && head.protocolVersion().equals(HttpVersion.HTTP_1_1)) {
            HttpUtil.setTransferEncodingChunked(head, true);
        } else {
            HttpUtil.setContentLength(head, length);
        }
        ctx.write(head);
        int status = head.status().code();
        return !exchange.request().method().equals(HttpMethod.HEAD) && status != 204 && status != 304;
    }

    /**
     * Promises more body than it sends: announces a longer Content-Length, sends {@code reset-after} bytes and
     * leaves the rest to the caller, which resets the connection.
     */
    private static ChannelFuture respondThenBreakOff(
            ChannelHandlerContext ctx, HttpResponse head, ResponseInstructions instructions, AtomicLong bodyBytesSent) {
        long sent = instructions.resetAfter();
        long announced = instructions.bytes() > sent ? instructions.bytes() : sent + PatternBody.CHUNK_SIZE;
        head.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/octet-stream");
        HttpUtil.setContentLength(head, announced);
        ctx.write(head);
        return ctx.writeAndFlush(new PatternBody(sent, bodyBytesSent));
    }
}
