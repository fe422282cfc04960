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
 * connection. Seen on Netty 4.2.18: after a GOAWAY the gateway closed a client connection whose
 * input it had read whole, yet the socket stayed established until the client hung up
 * ({@code Http2FloodTest}, two runs in three; four in four green with this guard). The likely
 * cause, from Netty's source: a poll's negative result (a cancelled poll) is taken for a mask of
 * events, so the channel can forget its POLLRDHUP poll and not cancel it at close, and a pending
 * poll keeps the socket alive after its descriptor is closed. A local SHUT_RD completes such a poll
 * at once (the socket reads as hung up), so nothing holds the socket.
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
