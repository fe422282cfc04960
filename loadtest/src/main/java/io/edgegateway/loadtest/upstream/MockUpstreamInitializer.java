package io.edgegateway.loadtest.upstream;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerExpectContinueHandler;
import io.netty.handler.stream.ChunkedWriteHandler;

/** Sets up each accepted connection: HTTP/1.1 codec, 100-continue, streamed bodies, then the mock's handler. */
final class MockUpstreamInitializer extends ChannelInitializer<Channel> {

    /** Generous limits: the mock must accept whatever a proxy under test forwards, e.g. 16k of headers. */
    private static final int MAX_INITIAL_LINE = 64 * 1024;
    private static final int MAX_HEADERS = 256 * 1024;

    private final UpstreamState state;

    MockUpstreamInitializer(UpstreamState state) {
        this.state = state;
    }

    @Override
    protected void initChannel(Channel channel) {
        state.channels().add(channel);
        int connection = state.connectionAccepted();
        channel.pipeline().addLast(
                new HttpServerCodec(new HttpDecoderConfig()
                        .setMaxInitialLineLength(MAX_INITIAL_LINE)
                        .setMaxHeaderSize(MAX_HEADERS)),
                new HttpServerExpectContinueHandler(),
                new ChunkedWriteHandler(),
                new MockUpstreamHandler(state, connection));
    }
}
