package io.edgegateway.server;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameEncoder;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A WebSocket upstream on a free loopback port, built on Netty's {@code WebSocketServerProtocolHandler}.
 * Under {@code /ws} it echoes every data frame; the text {@code close-me} gets a close frame and a
 * closed connection, {@code drop-me} a closed connection without one. {@code /ws/push?bytes=N} sends
 * N bytes of binary frames as fast as the connection takes them; {@code /ws/greet} answers the
 * handshake with the 101 and a text frame in one write; {@code /ws/refuse} answers 200 without
 * upgrading. Any other request gets a plain 200 saying which {@code Upgrade} it carried.
 */
final class WebSocketUpstream implements AutoCloseable {

    static final int MAX_FRAME = 16 * 1024 * 1024;
    private static final int PUSH_FRAME = 64 * 1024;

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final Channel server;
    private final AtomicInteger handshakes = new AtomicInteger();
    private final AtomicInteger closeFrames = new AtomicInteger();
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicLong pushed = new AtomicLong();
    private volatile HttpHeaders lastUpgradeHeaders = new DefaultHttpHeaders();

    WebSocketUpstream() {
        server = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        channel.pipeline()
                                .addLast(new HttpServerCodec())
                                .addLast(new HttpObjectAggregator(64 * 1024))
                                .addLast(new Requests())
                                .addLast(new WebSocketServerProtocolHandler(WebSocketServerProtocolConfig.newBuilder()
                                        .websocketPath("/ws")
                                        .checkStartsWith(true)
                                        .handleCloseFrames(false)
                                        .maxFramePayloadLength(MAX_FRAME)
                                        .build()))
                                .addLast(new Echo());
                    }
                })
                .bind("127.0.0.1", 0)
                .syncUninterruptibly()
                .channel();
    }

    int port() {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    /** Upgrades accepted. */
    int handshakes() {
        return handshakes.get();
    }

    /** Close frames received from clients. */
    int closeFrames() {
        return closeFrames.get();
    }

    /** Connections open now. */
    int openConnections() {
        return open.get();
    }

    /** Bytes of {@code /ws/push} frames whose writes completed. */
    long pushedBytes() {
        return pushed.get();
    }

    /** The headers of the latest upgrade request that reached it. */
    HttpHeaders lastUpgradeHeaders() {
        return lastUpgradeHeaders;
    }

    @Override
    public void close() {
        server.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** Plain requests, refusals and the hand-written greeting; other upgrades go on to the protocol handler. */
    private final class Requests extends SimpleChannelInboundHandler<FullHttpRequest> {

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            open.incrementAndGet();
            ctx.fireChannelActive();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            open.decrementAndGet();
            ctx.fireChannelInactive();
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) throws Exception {
            String upgrade = request.headers().get(HttpHeaderNames.UPGRADE);
            if (upgrade == null) {
                respond(ctx, request, "plain, upgrade: none");
                return;
            }
            lastUpgradeHeaders = request.headers().copy();
            if (request.uri().startsWith("/ws/refuse")) {
                respond(ctx, request, "no upgrade here");
            } else if (request.uri().startsWith("/ws/greet")) {
                greet(ctx, request);
            } else {
                ctx.fireChannelRead(request.retain());
            }
        }

        private void respond(ChannelHandlerContext ctx, FullHttpRequest request, String text) {
            FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                    Unpooled.copiedBuffer(text, StandardCharsets.UTF_8));
            HttpUtil.setContentLength(response, response.content().readableBytes());
            HttpUtil.setKeepAlive(response, HttpUtil.isKeepAlive(request));
            ctx.writeAndFlush(response);
        }

        /** The 101 and a first frame in one buffer, so that the gateway reads them together. */
        private void greet(ChannelHandlerContext ctx, FullHttpRequest request) throws Exception {
            String key = request.headers().get(HttpHeaderNames.SEC_WEBSOCKET_KEY);
            byte[] digest = MessageDigest.getInstance("SHA-1")
                    .digest((key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").getBytes(StandardCharsets.US_ASCII));
            String head = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Accept: " + Base64.getEncoder().encodeToString(digest) + "\r\n\r\n";
            ByteBuf both = ctx.alloc().buffer();
            both.writeCharSequence(head, StandardCharsets.US_ASCII);
            both.writeByte(0x81).writeByte(5).writeCharSequence("hello", StandardCharsets.US_ASCII);
            handshakes.incrementAndGet();
            ChannelPipeline pipeline = ctx.pipeline();
            for (String name : List.copyOf(pipeline.toMap().keySet())) {
                pipeline.remove(name);
            }
            pipeline.addLast(new WebSocket13FrameDecoder(true, false, MAX_FRAME), new WebSocket13FrameEncoder(false),
                    new Echo());
            ctx.channel().writeAndFlush(both);
        }
    }

    /** Echoes data frames; reacts to the close-me and drop-me texts; pushes on /ws/push. */
    private final class Echo extends SimpleChannelInboundHandler<WebSocketFrame> {

        private long toPush;

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
            if (event instanceof WebSocketServerProtocolHandler.HandshakeComplete complete) {
                handshakes.incrementAndGet();
                if (complete.requestUri().startsWith("/ws/push")) {
                    toPush = Long.parseLong(new QueryStringDecoder(complete.requestUri()).parameters()
                            .get("bytes").get(0));
                    push(ctx);
                }
            }
            ctx.fireUserEventTriggered(event);
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
            if (frame instanceof CloseWebSocketFrame) {
                closeFrames.incrementAndGet();
                ctx.writeAndFlush(new CloseWebSocketFrame(1000, "closed")).addListener(ChannelFutureListener.CLOSE);
            } else if (frame instanceof TextWebSocketFrame text && text.text().equals("close-me")) {
                ctx.writeAndFlush(new CloseWebSocketFrame(1000, "bye")).addListener(ChannelFutureListener.CLOSE);
            } else if (frame instanceof TextWebSocketFrame text && text.text().equals("drop-me")) {
                ctx.close();
            } else {
                ctx.writeAndFlush(frame.retain());
            }
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            push(ctx);
            ctx.fireChannelWritabilityChanged();
        }

        private void push(ChannelHandlerContext ctx) {
            boolean wrote = false;
            while (toPush > 0 && ctx.channel().isWritable()) {
                int size = (int) Math.min(PUSH_FRAME, toPush);
                toPush -= size;
                ctx.write(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(new byte[size])))
                        .addListener(f -> {
                            if (f.isSuccess()) {
                                pushed.addAndGet(size);
                            }
                        });
                wrote = true;
            }
            if (wrote) {
                ctx.flush();
            }
        }
    }
}
