package io.edgegateway.server.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;

/**
 * One side of a {@link Tunnel}: what its channel reads is written to the peer, flushed once per read.
 * Auto-read is off: the next read is asked for only while the peer can take more, and when a full
 * peer drains, the peer's relay asks for it. Closing either side closes the other once what was
 * written to it is flushed.
 */
final class TunnelRelay extends ChannelInboundHandlerAdapter {

    private final Channel peer;
    private boolean unflushed;

    TunnelRelay(Channel peer) {
        this.peer = peer;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        // Bytes, also those a removed decoder handed on; anything else is a leftover HTTP marker
        // (the end of the upgrade request or of the 101), which has no bytes.
        if (msg instanceof ByteBuf bytes && bytes.isReadable()) {
            peer.write(bytes, peer.voidPromise());
            unflushed = true;
        } else {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (unflushed) {
            unflushed = false;
            peer.flush();
        }
        readIfPeerWritable(ctx.channel(), peer);
    }

    /** The peer's relay stopped reading while this side was full; now it can go on. */
    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        readIfPeerWritable(peer, ctx.channel());
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        closeAfterFlush(peer);
        ctx.fireChannelInactive();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof IdleStateEvent || event == DrainEvent.INSTANCE) {
            ctx.close();
            ReferenceCountUtil.release(event);
        } else {
            ctx.fireUserEventTriggered(event);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }

    static void readIfPeerWritable(Channel channel, Channel peer) {
        if (peer.isWritable()) {
            channel.read();
        }
    }

    static void closeAfterFlush(Channel channel) {
        if (channel.isActive()) {
            channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        }
    }
}
