package io.edgegateway.server;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.DefaultHttp2ResetFrame;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2GoAwayFrame;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2ResetFrame;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamChannelBootstrap;
import io.netty.util.ReferenceCountUtil;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A bare HTTP/2 client with prior knowledge, on Netty's own frame codec, for what curl cannot do on
 * cue: reset one stream, stop reading one, watch for GOAWAY.
 */
final class H2cTestClient implements AutoCloseable {

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final CompletableFuture<Long> goAway = new CompletableFuture<>();
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    private final Channel connection;
    private final int port;

    H2cTestClient(int port) throws InterruptedException {
        this.port = port;
        connection = new Bootstrap().group(group).channel(NioSocketChannel.class)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        channel.pipeline()
                                .addLast(Http2FrameCodecBuilder.forClient().build())
                                .addLast(new Http2MultiplexHandler(new ChannelInboundHandlerAdapter()))
                                .addLast(new ChannelInboundHandlerAdapter() {
                                    @Override
                                    public void channelRead(ChannelHandlerContext ctx, Object msg) {
                                        if (msg instanceof Http2GoAwayFrame frame) {
                                            goAway.complete((long) frame.lastStreamId());
                                        }
                                        ReferenceCountUtil.release(msg);
                                    }

                                    @Override
                                    public void channelInactive(ChannelHandlerContext ctx) {
                                        closed.complete(null);
                                    }
                                });
                    }
                })
                .connect("127.0.0.1", port).sync().channel();
    }

    /** Opens a stream with a GET of {@code path}, and no body. */
    Stream get(String path) throws InterruptedException {
        return get(path, new String[0]);
    }

    /** Opens a stream with a GET of {@code path} as given (byte for byte), these header names and values, and no body. */
    Stream get(String path, String... namesAndValues) throws InterruptedException {
        return request("GET", path, namesAndValues);
    }

    /** Opens a stream with {@code method} and {@code path}, these header names and values, and no body. */
    Stream request(String method, String path, String... namesAndValues) throws InterruptedException {
        Stream stream = new Stream();
        Http2StreamChannel channel = new Http2StreamChannelBootstrap(connection).handler(stream).open().sync().getNow();
        stream.channel = channel;
        DefaultHttp2Headers headers = new DefaultHttp2Headers();
        headers.method(method).path(path).scheme("http").authority("127.0.0.1:" + port);
        for (int i = 0; i + 1 < namesAndValues.length; i += 2) {
            headers.add(namesAndValues[i], namesAndValues[i + 1]);
        }
        channel.writeAndFlush(new DefaultHttp2HeadersFrame(headers, true));
        return stream;
    }

    /** Completes with the last stream id of the GOAWAY the gateway sent. */
    CompletableFuture<Long> goAway() {
        return goAway;
    }

    CompletableFuture<Void> closed() {
        return closed;
    }

    @Override
    public void close() {
        connection.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** One stream's response as it arrives: status, body bytes counted (and released), end or reset. */
    static final class Stream extends ChannelInboundHandlerAdapter {

        final CompletableFuture<String> status = new CompletableFuture<>();
        final CompletableFuture<Long> ended = new CompletableFuture<>();
        final CompletableFuture<Long> reset = new CompletableFuture<>();
        final AtomicLong bodyBytes = new AtomicLong();
        /** Every header block received, in order: the response head, and trailers if any. */
        final List<Http2Headers> headerBlocks = new CopyOnWriteArrayList<>();
        private Http2StreamChannel channel;

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof Http2HeadersFrame headers) {
                headerBlocks.add(headers.headers());
                if (headers.headers().status() != null) {
                    status.complete(headers.headers().status().toString());
                }
                if (headers.isEndStream()) {
                    ended.complete(bodyBytes.get());
                }
            } else if (msg instanceof Http2DataFrame data) {
                bodyBytes.addAndGet(data.content().readableBytes());
                if (data.isEndStream()) {
                    ended.complete(bodyBytes.get());
                }
            } else if (msg instanceof Http2ResetFrame frame) {
                reset.complete(frame.errorCode());
            }
            ReferenceCountUtil.release(msg);
        }

        /** Stops (false) or resumes (true) reading: while stopped, the stream's window is not given back. */
        void reading(boolean on) {
            channel.eventLoop().execute(() -> channel.config().setAutoRead(on));
        }

        void cancel() {
            channel.writeAndFlush(new DefaultHttp2ResetFrame(Http2Error.CANCEL));
        }
    }
}
