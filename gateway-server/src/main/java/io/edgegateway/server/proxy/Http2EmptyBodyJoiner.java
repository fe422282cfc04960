package io.edgegateway.server.proxy;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.concurrent.PromiseNotifier;

/**
 * On a client's HTTP/2 stream, sends a response head followed at once by an empty end of body as
 * one HEADERS frame with END_STREAM, the way an HTTP/2 upstream sent it, instead of HEADERS then an
 * empty DATA frame. A gRPC status without messages ("Trailers-Only") must arrive as one frame:
 * grpc-java calls an END_STREAM on DATA after headers a protocol error. The proxy writes the two
 * back to back when they came whole; a head is held only until the next write or flush.
 */
final class Http2EmptyBodyJoiner extends ChannelOutboundHandlerAdapter {

    private HttpResponse heldHead;
    private ChannelPromise heldPromise;

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (heldHead != null) {
            HttpResponse head = heldHead;
            ChannelPromise headPromise = heldPromise;
            heldHead = null;
            heldPromise = null;
            if (msg instanceof LastHttpContent last && !(msg instanceof HttpResponse)
                    && !last.content().isReadable() && last.trailingHeaders().isEmpty()) {
                last.release();
                FullHttpResponse whole = new DefaultFullHttpResponse(head.protocolVersion(), head.status(),
                        Unpooled.EMPTY_BUFFER, head.headers(), EmptyHttpHeaders.INSTANCE);
                ctx.write(whole).addListener(new PromiseNotifier<>(false, headPromise, promise));
                return;
            }
            ctx.write(head, headPromise);
        }
        if (msg instanceof HttpResponse head && !(msg instanceof FullHttpResponse)
                && head.status().codeClass() != HttpStatusClass.INFORMATIONAL) {
            heldHead = head;
            heldPromise = promise;
            return;
        }
        ctx.write(msg, promise);
    }

    @Override
    public void flush(ChannelHandlerContext ctx) {
        if (heldHead != null) {
            ctx.write(heldHead, heldPromise);
            heldHead = null;
            heldPromise = null;
        }
        ctx.flush();
    }
}
