package io.edgegateway.server.proxy;

import io.edgegateway.server.upstream.Http2UpstreamConnection;
import io.edgegateway.server.upstream.UpstreamAddress;
import io.edgegateway.transport.IoUringCloseGuard;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleStateHandler;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The pipeline of a pooled upstream connection: TLS first for an {@code https://} or {@code h2://}
 * upstream; then HTTP/1.1, or for {@code h2c://} and {@code h2://} HTTP/2 with a channel per stream
 * ({@link UpstreamStreamInitializer}).
 */
@ChannelHandler.Sharable
public final class UpstreamChannelInitializer extends ChannelInitializer<SocketChannel> {

    private static final int MAX_RESPONSE_HEADER_BYTES = 64 * 1024;
    private static final int MAX_CHUNK = 64 * 1024;

    private final long idleTimeoutNanos;
    private final SslContext tls;
    private final SslContext http2Tls;
    private final int connectionWindowIncrement;
    private final ChannelHandler streamInitializer = new UpstreamStreamInitializer();

    /**
     * {@code tls} verifies {@code https://} upstreams: their chain and their host name; {@code http2Tls}
     * {@code h2://} ones, offering h2 by ALPN. {@code h2MaxStreams} sizes an HTTP/2 connection's
     * receive window: room for that many stream windows.
     */
    public UpstreamChannelInitializer(Duration idleTimeout, SslContext tls, SslContext http2Tls, int h2MaxStreams) {
        this.idleTimeoutNanos = idleTimeout.toNanos();
        this.tls = tls;
        this.http2Tls = http2Tls;
        long window = (long) h2MaxStreams * Http2CodecUtil.DEFAULT_WINDOW_SIZE;
        this.connectionWindowIncrement = (int) Math.min(Http2CodecUtil.MAX_INITIAL_WINDOW_SIZE, window)
                - Http2CodecUtil.DEFAULT_WINDOW_SIZE;
    }

    @Override
    protected void initChannel(SocketChannel channel) {
        IoUringCloseGuard.addTo(channel);
        UpstreamAddress address = channel.attr(UpstreamAddress.KEY).get();
        if (address != null && address.http2()) {
            initHttp2(channel, address);
            return;
        }
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

    private void initHttp2(SocketChannel channel, UpstreamAddress address) {
        if (address.tls()) {
            channel.pipeline().addLast("tls", http2Tls.newHandler(channel.alloc(), address.host(),
                    address.socketAddress().getPort()));
        }
        Http2Settings settings = Http2Settings.defaultSettings()
                .pushEnabled(false)
                .maxHeaderListSize(MAX_RESPONSE_HEADER_BYTES);
        channel.pipeline()
                .addLast("idle", new IdleStateHandler(idleTimeoutNanos, 0, 0, TimeUnit.NANOSECONDS))
                .addLast("h2", Http2FrameCodecBuilder.forClient()
                        .initialSettings(settings)
                        // Streams beyond the instance's SETTINGS_MAX_CONCURRENT_STREAMS wait rather than fail.
                        .encoderEnforceMaxConcurrentStreams(true)
                        .build())
                .addLast("streams", new Http2MultiplexHandler(new ChannelInboundHandlerAdapter()))
                .addLast("connection", new Http2UpstreamConnection(streamInitializer, connectionWindowIncrement));
    }
}
