package io.edgegateway.server.admin;

import io.edgegateway.transport.IoUringCloseGuard;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;

/** The pipeline of an admin connection: small requests, aggregated whole. */
@ChannelHandler.Sharable
public final class AdminChannelInitializer extends ChannelInitializer<SocketChannel> {

    private static final int MAX_ADMIN_REQUEST_BYTES = 64 * 1024;

    private final AdminHandler handler;

    public AdminChannelInitializer(AdminHandler handler) {
        this.handler = handler;
    }

    @Override
    protected void initChannel(SocketChannel channel) {
        IoUringCloseGuard.addTo(channel);
        channel.pipeline()
                .addLast(new HttpServerCodec())
                .addLast(new HttpObjectAggregator(MAX_ADMIN_REQUEST_BYTES))
                .addLast(handler);
    }
}
