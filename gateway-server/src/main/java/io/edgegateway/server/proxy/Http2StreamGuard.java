package io.edgegateway.server.proxy;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http2.Http2Exception;

/**
 * The front of a stream's pipeline: keeps what belongs to HTTP/2 itself away from the proxy.
 * <ul>
 *   <li>A stream error (PROTOCOL_ERROR, FLOW_CONTROL_ERROR...) is not passed on: Netty's
 *       multiplexer closes the stream with that error's code right after telling its pipeline,
 *       and a close from the proxy first would turn the code into CANCEL.
 *   <li>When its connection closes, the stream closes too. Netty keeps a closed stream's channel
 *       open while frames it received wait to be read, and the proxy reads only as fast as the
 *       upstream takes the body: those frames, and the exchange, would wait for nothing.
 * </ul>
 */
final class Http2StreamGuard extends ChannelInboundHandlerAdapter implements ChannelFutureListener {

    private Channel stream;
    private ChannelFuture connectionClosed;

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        stream = ctx.channel();
        connectionClosed = stream.parent().closeFuture();
        connectionClosed.addListener(this);
    }

    /** The connection closed. */
    @Override
    public void operationComplete(ChannelFuture future) {
        stream.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        connectionClosed.removeListener(this);
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (!(cause instanceof Http2Exception)) {
            ctx.fireExceptionCaught(cause);
        }
    }
}
