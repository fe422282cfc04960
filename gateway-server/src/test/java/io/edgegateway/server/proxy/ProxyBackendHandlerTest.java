package io.edgegateway.server.proxy;

import static org.awaitility.Awaitility.await;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.local.LocalAddress;
import io.netty.channel.local.LocalChannel;
import io.netty.channel.local.LocalIoHandler;
import io.netty.channel.local.LocalServerChannel;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The response-timeout check of an upstream channel, on a real event loop: an HTTP/2 upstream
 * stream is a channel that closes after its one request, and a check left in the loop's queue
 * would hold the channel and its pipeline for the whole response timeout (at 20,000 calls a
 * second and 30 s, 600,000 of them).
 */
class ProxyBackendHandlerTest {

    private final EventLoopGroup loop = new MultiThreadIoEventLoopGroup(1, LocalIoHandler.newFactory());

    @AfterEach
    void stop() {
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @Test
    void aClosedChannelIsNotHeldByItsResponseTimeoutCheck() throws Exception {
        LocalAddress address = new LocalAddress("backend-handler-test");
        Channel server = new ServerBootstrap().group(loop).channel(LocalServerChannel.class)
                .childHandler(new ChannelInboundHandlerAdapter()).bind(address).sync().channel();

        WeakReference<Channel> closed = armedThenClosed(address);

        await().atMost(Duration.ofSeconds(20)).until(() -> {
            System.gc();
            return closed.get() == null;
        });
        server.close().sync();
    }

    /** A channel whose response head is awaited for 30 s, closed at once; only a weak reference to it is kept. */
    private WeakReference<Channel> armedThenClosed(LocalAddress address) throws InterruptedException {
        ProxyBackendHandler handler = new ProxyBackendHandler();
        Channel upstream = new Bootstrap().group(loop).channel(LocalChannel.class)
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel channel) {
                        // As Http2UpstreamMessages does once a stream's response came whole.
                        channel.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                            @Override
                            public void channelInactive(ChannelHandlerContext ctx) {
                            }
                        }, handler);
                    }
                })
                .connect(address).sync().channel();
        upstream.eventLoop().submit(() -> handler.armResponseTimeout(TimeUnit.SECONDS.toNanos(30))).sync();
        upstream.close().sync();
        return new WeakReference<>(upstream);
    }
}
