package io.edgegateway.server.upstream;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http2.DefaultHttp2WindowUpdateFrame;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2GoAwayFrame;
import io.netty.handler.codec.http2.Http2SettingsFrame;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamChannelBootstrap;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;

/**
 * One HTTP/2 connection to an upstream instance, last in its pipeline (after the frame codec and
 * the multiplexer): how many streams its pool has open on it, whether the instance still takes new
 * ones (no GOAWAY), and how many it allows ({@code SETTINGS_MAX_CONCURRENT_STREAMS}).
 *
 * <p>The connection's receive window is widened at once to room for every stream's window, so a
 * stream whose client reads slowly holds back its own bytes and never the others'.
 */
public final class Http2UpstreamConnection extends ChannelInboundHandlerAdapter {

    private final ChannelHandler streamInitializer;
    private final int connectionWindowIncrement;
    private ChannelHandlerContext ctx;
    private Http2FrameCodec codec;
    private Http2Connections pool;
    private int streams;
    private boolean goAway;

    /**
     * @param streamInitializer the pipeline of each stream, which presents it as HTTP/1.1 messages
     * @param connectionWindowIncrement bytes added to the connection's receive window beyond the default
     */
    public Http2UpstreamConnection(ChannelHandler streamInitializer, int connectionWindowIncrement) {
        this.streamInitializer = streamInitializer;
        this.connectionWindowIncrement = connectionWindowIncrement;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        this.codec = ctx.pipeline().get(Http2FrameCodec.class);
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        // The codec, earlier in the pipeline, has written the preface by now.
        if (connectionWindowIncrement > 0) {
            ctx.writeAndFlush(new DefaultHttp2WindowUpdateFrame(connectionWindowIncrement), ctx.voidPromise());
        }
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof Http2GoAwayFrame) {
            goAway = true;
        }
        boolean settings = msg instanceof Http2SettingsFrame;
        ReferenceCountUtil.release(msg);
        if (settings && pool != null) {
            pool.roomChanged();
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof IdleStateEvent && streams == 0) {
            ctx.close();
        }
        ReferenceCountUtil.release(event);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }

    void attach(Http2Connections owner) {
        this.pool = owner;
    }

    /** Whether one more stream may open here: the connection lives, took no GOAWAY, and is under both bounds. */
    boolean hasRoom(int maxStreams) {
        return !goAway && ctx.channel().isActive() && !codec.connection().goAwayReceived()
                && streams < Math.min(maxStreams, codec.connection().local().maxActiveStreams());
    }

    /** Opens a stream, counted here until its channel closes. */
    Future<Http2StreamChannel> openStream() {
        streams++;
        return new Http2StreamChannelBootstrap(ctx.channel()).handler(streamInitializer).open();
    }

    void streamClosed() {
        streams--;
    }

    int streams() {
        return streams;
    }

    Channel channel() {
        return ctx.channel();
    }
}
