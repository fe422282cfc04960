package io.edgegateway.server;

import io.edgegateway.testkit.TestCertificate;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http2.DefaultHttp2ResetFrame;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2ResetFrame;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An HTTP/2-only upstream on Netty's own server codec (h2c by prior knowledge, or h2 over TLS by
 * ALPN), counting what the gateway does to it: connections, streams, resets. {@code /big?bytes=N}
 * answers N bytes, {@code /hold/...} answers only once {@link #releaseHeld} is called,
 * {@code /reset} resets its stream, {@code /count} answers {@code got <body bytes>}, {@code /refused-once} is refused (REFUSED_STREAM) the first time; anything else
 * answers {@code hello <path>}.
 */
final class H2Upstream implements AutoCloseable {

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final Channel server;
    final AtomicInteger connections = new AtomicInteger();
    /** Of {@link #connections}, those closed since. */
    final AtomicInteger connectionsClosed = new AtomicInteger();
    final AtomicInteger streams = new AtomicInteger();
    /** Streams the gateway reset, with the error codes it sent. */
    final List<Long> resetsReceived = new CopyOnWriteArrayList<>();
    /** Streams of {@code /hold} requests whose answer waits. */
    private final Queue<Http2StreamChannel> held = new ConcurrentLinkedQueue<>();
    final List<String> hostsSeen = new CopyOnWriteArrayList<>();
    /** When set, every request is held as {@code /hold} is. */
    volatile boolean holdEverything;
    /** When set, every stream is reset (INTERNAL_ERROR) as {@code /reset} is. */
    volatile boolean resetEverything;
    private final java.util.concurrent.atomic.AtomicBoolean refusedOnce = new java.util.concurrent.atomic.AtomicBoolean();

    private H2Upstream(SslContext tls, int maxConcurrentStreams) throws InterruptedException {
        Http2Settings settings = Http2Settings.defaultSettings();
        if (maxConcurrentStreams > 0) {
            settings.maxConcurrentStreams(maxConcurrentStreams);
        }
        server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        connections.incrementAndGet();
                        channel.closeFuture().addListener(closed -> connectionsClosed.incrementAndGet());
                        if (tls != null) {
                            channel.pipeline().addLast(tls.newHandler(channel.alloc()));
                        }
                        channel.pipeline()
                                .addLast(Http2FrameCodecBuilder.forServer().initialSettings(settings).build())
                                .addLast(new Http2MultiplexHandler(new ChannelInitializer<Http2StreamChannel>() {
                                    @Override
                                    protected void initChannel(Http2StreamChannel stream) {
                                        streams.incrementAndGet();
                                        stream.pipeline()
                                                .addLast(new ResetWatch())
                                                .addLast(new Http2StreamFrameToHttpObjectCodec(true))
                                                .addLast(new HttpObjectAggregator(1 << 20))
                                                .addLast(new Answer());
                                    }
                                }))
                                .addLast(new ChannelInboundHandlerAdapter() {
                                    @Override
                                    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                                        ctx.close(); // a failed handshake, a reset connection: the tests look at what the gateway did
                                    }
                                });
                    }
                })
                .bind("127.0.0.1", 0).sync().channel();
    }

    static H2Upstream cleartext(int maxConcurrentStreams) throws InterruptedException {
        return new H2Upstream(null, maxConcurrentStreams);
    }

    static H2Upstream overTls(TestCertificate certificate) throws Exception {
        SslContext tls = SslContextBuilder.forServer(certificate.certFile().toFile(), certificate.keyFile().toFile())
                .applicationProtocolConfig(new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
                        ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                        ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT, ApplicationProtocolNames.HTTP_2))
                .build();
        return new H2Upstream(tls, 0);
    }

    int port() {
        return ((java.net.InetSocketAddress) server.localAddress()).getPort();
    }

    int heldCount() {
        return held.size();
    }

    /** Answers every held request. */
    void releaseHeld() {
        Http2StreamChannel stream;
        while ((stream = held.poll()) != null) {
            Http2StreamChannel answering = stream;
            answering.eventLoop().execute(() -> answering.writeAndFlush(text("released")));
        }
    }

    @Override
    public void close() {
        server.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private static DefaultFullHttpResponse text(String body) {
        ByteBuf content = Unpooled.copiedBuffer(body, StandardCharsets.UTF_8);
        DefaultFullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK, content);
        response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, content.readableBytes()).set("x-upstream", "h2");
        return response;
    }

    /** Records the resets the gateway sends; before the codec, which does not pass them on. */
    private final class ResetWatch extends ChannelInboundHandlerAdapter {
        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
            if (event instanceof Http2ResetFrame reset) {
                resetsReceived.add(reset.errorCode());
            }
            ctx.fireUserEventTriggered(event);
        }
    }

    private final class Answer extends SimpleChannelInboundHandler<FullHttpRequest> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
            hostsSeen.add(String.valueOf(request.headers().get(HttpHeaderNames.HOST)));
            QueryStringDecoder uri = new QueryStringDecoder(request.uri());
            String path = uri.path();
            if (resetEverything) {
                ctx.writeAndFlush(new DefaultHttp2ResetFrame(Http2Error.INTERNAL_ERROR));
            } else if (holdEverything || path.startsWith("/hold")) {
                held.add((Http2StreamChannel) ctx.channel());
            } else if (path.equals("/refused-once") && refusedOnce.compareAndSet(false, true)) {
                ctx.writeAndFlush(new DefaultHttp2ResetFrame(Http2Error.REFUSED_STREAM));
            } else if (path.equals("/count")) {
                ctx.writeAndFlush(text("got " + request.content().readableBytes()));
            } else if (path.equals("/reset")) {
                ctx.writeAndFlush(new DefaultHttp2ResetFrame(Http2Error.INTERNAL_ERROR));
            } else if (path.equals("/big")) {
                int bytes = Integer.parseInt(uri.parameters().get("bytes").get(0));
                DefaultHttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
                head.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, bytes);
                ctx.write(head);
                byte[] chunk = new byte[16 * 1024];
                for (int sent = 0; sent < bytes; sent += chunk.length) {
                    ctx.write(new DefaultHttpContent(Unpooled.wrappedBuffer(chunk, 0, Math.min(chunk.length, bytes - sent))));
                }
                ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
            } else {
                ctx.writeAndFlush(text("hello " + path));
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
