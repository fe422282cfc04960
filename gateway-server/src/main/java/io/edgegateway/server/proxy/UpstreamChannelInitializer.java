package io.edgegateway.server.proxy;

import io.edgegateway.server.upstream.UpstreamAddress;
import io.edgegateway.transport.IoUringCloseGuard;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleStateHandler;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** The pipeline of a pooled upstream connection: TLS first for an {@code https://} upstream. */
@ChannelHandler.Sharable
public final class UpstreamChannelInitializer extends ChannelInitializer<SocketChannel> {

    private static final int MAX_RESPONSE_HEADER_BYTES = 64 * 1024;
    private static final int MAX_CHUNK = 64 * 1024;

    private final long idleTimeoutNanos;
    private final SslContext tls;

    /** {@code tls} verifies {@code https://} upstreams: their chain and their host name. */
    public UpstreamChannelInitializer(Duration idleTimeout, SslContext tls) {
        this.idleTimeoutNanos = idleTimeout.toNanos();
        this.tls = tls;
    }

    @Override
    protected void initChannel(SocketChannel channel) {
        IoUringCloseGuard.addTo(channel);
        UpstreamAddress address = channel.attr(UpstreamAddress.KEY).get();
        if (address != null && address.tls()) {
            SslHandler handler = tls.newHandler(channel.alloc(), address.host(), address.socketAddress().getPort());
            channel.pipeline().addLast("tls", handler);
        }
        HttpDecoderConfig decoder = new HttpDecoderConfig()
                .setMaxHeaderSize(MAX_RESPONSE_HEADER_BYTES)
                .setMaxChunkSize(MAX_CHUNK);
        channel.pipeline()
                .addLast("idle", new IdleStateHandler(idleTimeoutNanos, 0, 0, TimeUnit.NANOSECONDS))
                .addLast("codec", new HttpClientCodec(decoder, false, false))
                .addLast("proxy", new ProxyBackendHandler());
    }
}
