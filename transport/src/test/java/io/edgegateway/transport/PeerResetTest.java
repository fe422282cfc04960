package io.edgegateway.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A peer that answers with a burst of bytes and resets is seen at once on every transport, also by a
 * reader that pauses (auto-read off while the bytes are passed on, back on after the read loop), as the
 * gateway's upstream connections do. On io_uring with multishot POLLIN (Netty 4.2.18) such a reader
 * never heard of the reset: see {@link IoUringPollIn}.
 */
class PeerResetTest {

    private static final int SENT = 100_000;

    @ParameterizedTest
    @EnumSource(TransportKind.class)
    void aResetRightAfterTheBytesReachesAPausingReader(TransportKind kind) throws Exception {
        assumeTrue(kind.isAvailable(), () -> kind.label() + " is not available here");
        Transport transport = Transport.of(kind);
        EventLoopGroup group = transport.newGroup(1);
        try {
            Channel server = new ServerBootstrap().group(group).channel(transport.serverChannelType())
                    .childHandler(new ChannelInboundHandlerAdapter() {
                        @Override
                        public void channelRead(ChannelHandlerContext ctx, Object request) {
                            ((ByteBuf) request).release();
                            ctx.writeAndFlush(Unpooled.wrappedBuffer(new byte[SENT])).addListener((ChannelFutureListener) f -> {
                                f.channel().config().setOption(ChannelOption.SO_LINGER, 0); // close sends a RST
                                f.channel().close();
                            });
                        }
                    })
                    .bind("127.0.0.1", 0).sync().channel();
            CompletableFuture<Long> endedAfter = new CompletableFuture<>();
            new Bootstrap().group(group).channel(transport.channelType())
                    .handler(new PausingReader(endedAfter))
                    .connect((InetSocketAddress) server.localAddress()).sync().channel()
                    .writeAndFlush(Unpooled.wrappedBuffer(new byte[] {'?'}));
            // Ended at all is what counts; a reset may drop bytes that were still on their way.
            assertThat(endedAfter.get(20, TimeUnit.SECONDS)).isBetween(0L, (long) SENT);
            server.close().sync();
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    /** Stops reading in the middle of each read loop and asks again once the loop is over. */
    private static final class PausingReader extends ChannelInboundHandlerAdapter {
        private final CompletableFuture<Long> endedAfter;
        private long received;

        PausingReader(CompletableFuture<Long> endedAfter) {
            this.endedAfter = endedAfter;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            received += ((ByteBuf) msg).readableBytes();
            ((ByteBuf) msg).release();
            ctx.channel().config().setAutoRead(false);
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.executor().execute(() -> ctx.channel().config().setAutoRead(true));
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            endedAfter.complete(received);
        }
    }
}
