package io.edgegateway.server.upstream.health;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Promise;

/**
 * One health check on its own connection: sends {@code GET path} with {@code Connection: close},
 * reads the whole response and releases every part of it, and completes {@code result} with
 * whether the status was 2xx. Anything else that ends the connection first is a failed check.
 */
final class HealthCheckProbe extends ChannelInboundHandlerAdapter {

    private final String path;
    private final String hostHeader;
    private final Promise<Boolean> result;
    private int status;

    HealthCheckProbe(String path, String hostHeader, Promise<Boolean> result) {
        this.path = path;
        this.hostHeader = hostHeader;
        this.result = result;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, path, Unpooled.EMPTY_BUFFER);
        request.headers()
                .set(HttpHeaderNames.HOST, hostHeader)
                .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE)
                .set(HttpHeaderNames.CONTENT_LENGTH, 0);
        ctx.writeAndFlush(request).addListener(written -> {
            if (!written.isSuccess()) {
                fail(ctx);
            }
        });
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (msg instanceof HttpObject object && object.decoderResult().isFailure()) {
                fail(ctx);
                return;
            }
            if (msg instanceof HttpResponse response) {
                status = response.status().code();
            }
            if (msg instanceof LastHttpContent) {
                result.trySuccess(status >= 200 && status < 300);
                ctx.close();
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        result.trySuccess(false);
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        fail(ctx);
    }

    private void fail(ChannelHandlerContext ctx) {
        result.trySuccess(false);
        ctx.close();
    }
}
