package io.edgegateway.server.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Each bound of {@link LingeringClose}, with small values, on real sockets: a server that answers
 * the first bytes it reads and then lingers.
 */
class LingeringCloseBoundsTest {

    private static final String ANSWER = "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
    private static final long LONG = TimeUnit.SECONDS.toNanos(60);

    private EventLoopGroup group;
    private Channel server;
    private final AtomicReference<Channel> accepted = new AtomicReference<>();

    @AfterEach
    void stop() {
        if (server != null) {
            server.close().syncUninterruptibly();
        }
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @Test
    void closesOnceTheClientCloses() throws Exception {
        int port = start(1 << 20, LONG, LONG);
        try (Socket client = connect(port)) {
            client.getOutputStream().write("hello".getBytes(StandardCharsets.US_ASCII));
            assertThat(readAll(client.getInputStream())).isEqualTo(ANSWER);
            client.shutdownOutput();
            awaitClosed();
        }
    }

    @Test
    void closesAfterSilence() throws Exception {
        int port = start(1 << 20, LONG, TimeUnit.MILLISECONDS.toNanos(200));
        try (Socket client = connect(port)) {
            client.getOutputStream().write("hello".getBytes(StandardCharsets.US_ASCII));
            assertThat(readAll(client.getInputStream())).isEqualTo(ANSWER);
            awaitClosed();
        }
    }

    @Test
    void closesAfterItsTimeInAllThoughTheClientKeepsSending() throws Exception {
        int port = start(1 << 20, TimeUnit.MILLISECONDS.toNanos(300), LONG);
        try (Socket client = connect(port)) {
            OutputStream out = client.getOutputStream();
            out.write("hello".getBytes(StandardCharsets.US_ASCII));
            assertThat(readAll(client.getInputStream())).isEqualTo(ANSWER);
            AtomicBoolean sending = trickle(out, 20);
            try {
                awaitClosed();
            } finally {
                sending.set(false);
            }
        }
    }

    @Test
    void closesPastItsBytes() throws Exception {
        int port = start(64 * 1024, LONG, LONG);
        try (Socket client = connect(port)) {
            OutputStream out = client.getOutputStream();
            out.write("hello".getBytes(StandardCharsets.US_ASCII));
            assertThat(readAll(client.getInputStream())).isEqualTo(ANSWER);
            byte[] block = new byte[8 * 1024];
            try {
                for (int i = 0; i < 16 && !accepted.get().closeFuture().isDone(); i++) {
                    out.write(block);
                    out.flush();
                }
            } catch (IOException closedByServer) {
                // the server stopped reading, as it should
            }
            awaitClosed();
        }
    }

    /** A server whose connections answer their first read and linger with these bounds. */
    private int start(long maxBytes, long timeNanos, long timeoutNanos) {
        group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        accepted.set(channel);
                        channel.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                            @Override
                            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                                ReferenceCountUtil.release(msg);
                                ctx.channel().config().setAutoRead(false);
                                ctx.writeAndFlush(Unpooled.copiedBuffer(ANSWER, StandardCharsets.US_ASCII))
                                        .addListener(written -> LingeringClose.start(ctx.channel(), maxBytes, timeNanos, timeoutNanos));
                            }
                        });
                    }
                })
                .bind("127.0.0.1", 0).syncUninterruptibly().channel();
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    private static Socket connect(int port) throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        socket.setSoTimeout(30_000);
        return socket;
    }

    /** What the server sends until its EOF; a reset would throw instead. */
    private static String readAll(InputStream in) throws IOException {
        return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
    }

    /** Sends a byte every {@code periodMillis} from another thread until told to stop or refused. */
    private static AtomicBoolean trickle(OutputStream out, long periodMillis) {
        AtomicBoolean sending = new AtomicBoolean(true);
        Thread thread = new Thread(() -> {
            try {
                while (sending.get()) {
                    out.write('x');
                    out.flush();
                    Thread.sleep(periodMillis);
                }
            } catch (IOException | InterruptedException stopped) {
                // the server closed, or the test ended
            }
        }, "trickle");
        thread.setDaemon(true);
        thread.start();
        return sending;
    }

    private void awaitClosed() {
        await().atMost(Duration.ofSeconds(20)).until(() -> accepted.get() != null && !accepted.get().isActive());
    }
}
