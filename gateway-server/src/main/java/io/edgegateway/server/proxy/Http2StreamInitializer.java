package io.edgegateway.server.proxy;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import io.netty.handler.flow.FlowControlHandler;
import io.netty.handler.timeout.IdleStateHandler;
import java.util.concurrent.TimeUnit;

/**
 * The pipeline of one HTTP/2 stream: Netty's bridge turns its frames into the HTTP objects the
 * proxy handles for HTTP/1.1, so a stream is routed, limited, hedged and shed like any request;
 * HEADERS the bridge cannot convert are turned away before it.
 * Auto-read is off, as on an HTTP/1.1 connection: a stream's data is read, and its flow-control
 * window given back to the client, only as fast as the upstream takes it.
 */
@ChannelHandler.Sharable
final class Http2StreamInitializer extends ChannelInitializer<Channel> {

    private final ProxyContext context;
    private final boolean secure;

    Http2StreamInitializer(ProxyContext context, boolean secure) {
        this.context = context;
        this.secure = secure;
    }

    @Override
    protected void initChannel(Channel stream) {
        stream.config().setAutoRead(false);
        stream.pipeline()
                .addLast("idle", new IdleStateHandler(context.idleTimeoutNanos(), 0, 0, TimeUnit.NANOSECONDS))
                .addLast("stream", new Http2StreamGuard())
                .addLast("validate", new Http2RequestValidator())
                .addLast("codec", new Http2StreamFrameToHttpObjectCodec(true))
                .addLast("join-empty-body", new Http2EmptyBodyJoiner())
                .addLast("adapt", new Http2RequestAdapter())
                .addLast("flow-control", new FlowControlHandler())
                .addLast("proxy", new ProxyFrontendHandler(context, secure));
    }
}
