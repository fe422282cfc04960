package io.edgegateway.server.proxy;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;

/**
 * The end of an HTTP/2 connection's own pipeline (streams have theirs). On drain, and when the
 * connection has been idle with no stream open, it closes the connection; the frame codec turns
 * that close into a GOAWAY and waits for the open streams to finish first.
 *
 * <p>An HTTP/2 connection error reaches it before the codec has acted on it: the codec then sends a
 * GOAWAY with the error's own code (PROTOCOL_ERROR, FRAME_SIZE_ERROR, FLOW_CONTROL_ERROR,
 * ENHANCE_YOUR_CALM...) and closes. Closing here first would make that GOAWAY a graceful NO_ERROR
 * one, and leave a misbehaving client its open streams until they finish.
 */
final class Http2ConnectionGuard extends ChannelInboundHandlerAdapter {

    private final Http2FrameCodec codec;

    Http2ConnectionGuard(Http2FrameCodec codec) {
        this.codec = codec;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event == DrainEvent.INSTANCE
                || (event instanceof IdleStateEvent && codec.connection().numActiveStreams() == 0)) {
            ctx.channel().close();
        }
        ReferenceCountUtil.release(event);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (Http2CodecUtil.getEmbeddedHttp2Exception(cause) == null) {
            ctx.close(); // the connection itself failed (I/O, TLS): nothing more to tell the client
        }
    }
}
