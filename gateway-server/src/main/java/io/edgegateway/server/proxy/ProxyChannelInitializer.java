package io.edgegateway.server.proxy;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.flow.FlowControlHandler;
import io.netty.handler.timeout.IdleStateHandler;
import java.util.concurrent.TimeUnit;

/** The pipeline of a client connection. */
@ChannelHandler.Sharable
public final class ProxyChannelInitializer extends ChannelInitializer<SocketChannel> {

    /** Bytes of a request line before the gateway answers 414. */
    private static final int MAX_REQUEST_LINE = 8192;
    /** Largest body piece the decoder hands on at once; bodies stream through in pieces this size. */
    private static final int MAX_CHUNK = 64 * 1024;

    private final ProxyContext context;
    private final ChannelGroup clients;

    public ProxyChannelInitializer(ProxyContext context, ChannelGroup clients) {
        this.context = context;
        this.clients = clients;
    }

    @Override
    protected void initChannel(SocketChannel channel) {
        clients.add(channel);
        HttpDecoderConfig decoder = new HttpDecoderConfig()
                .setMaxInitialLineLength(MAX_REQUEST_LINE)
                .setMaxHeaderSize(context.limits().maxHeaderBytes())
                .setMaxChunkSize(MAX_CHUNK);
        channel.pipeline()
                .addLast("idle", new IdleStateHandler(context.idleTimeoutNanos(), 0, 0, TimeUnit.NANOSECONDS))
                .addLast("codec", new HttpServerCodec(decoder))
                .addLast("flow-control", new FlowControlHandler())
                .addLast("proxy", new ProxyFrontendHandler(context));
    }
}
