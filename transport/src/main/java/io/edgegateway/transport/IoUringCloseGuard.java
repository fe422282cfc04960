package io.edgegateway.transport;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.socket.DuplexChannel;
import io.netty.channel.uring.IoUringSocketChannel;

/**
 * Shuts an io_uring socket's input down before it is closed, so that the close really ends the
 * connection. Netty 4.2.18's io_uring channel takes a cancelled poll's negative result for a mask
 * of events, and a cancelled POLLIN then reads as POLLRDHUP too: the channel forgets its POLLRDHUP
 * poll, does not cancel it at close, and that poll keeps the socket alive after its descriptor is
 * closed, until the peer hangs up, which a client waiting for the close never does. A local
 * SHUT_RD completes that poll at once (the socket reads as hung up), so nothing holds the socket.
 * Seen as a GOAWAY followed by no close in {@code Http2FloodTest} two runs in three; never with it.
 */
@ChannelHandler.Sharable
public final class IoUringCloseGuard extends ChannelOutboundHandlerAdapter {

    private static final IoUringCloseGuard INSTANCE = new IoUringCloseGuard();

    private IoUringCloseGuard() {
    }

    /** Puts the guard first in {@code channel}'s pipeline when it is an io_uring socket; others need none. */
    public static void addTo(Channel channel) {
        if (channel instanceof IoUringSocketChannel) {
            channel.pipeline().addFirst("io-uring-close", INSTANCE);
        }
    }

    @Override
    public void close(ChannelHandlerContext ctx, ChannelPromise promise) throws Exception {
        if (ctx.channel() instanceof DuplexChannel duplex && duplex.isActive() && !duplex.isInputShutdown()) {
            duplex.shutdownInput();
        }
        ctx.close(promise);
    }
}
