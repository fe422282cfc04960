package io.edgegateway.server.proxy;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;

/**
 * The pipeline of one HTTP/2 stream to an upstream: the stream's frames as the HTTP/1.1 messages a
 * pooled connection gives, so that the {@link UpstreamAttempt} on it and its {@link ProxyBackendHandler}
 * (response timeout, backpressure by auto-read) are the ones of the HTTP/1.1 path.
 */
@ChannelHandler.Sharable
final class UpstreamStreamInitializer extends ChannelInitializer<Http2StreamChannel> {

    @Override
    protected void initChannel(Http2StreamChannel stream) {
        stream.pipeline()
                .addLast("codec", new Http2StreamFrameToHttpObjectCodec(false))
                .addLast("h2-messages", new Http2UpstreamMessages())
                .addLast("proxy", new ProxyBackendHandler());
    }
}
