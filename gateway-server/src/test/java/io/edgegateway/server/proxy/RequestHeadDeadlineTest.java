package io.edgegateway.server.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The head deadline, on an embedded channel whose clock the test moves. */
class RequestHeadDeadlineTest {

    private static final long TIMEOUT_MILLIS = 1000;

    private final List<Object> events = new ArrayList<>();
    private final EmbeddedChannel channel = channel();

    @AfterEach
    void close() {
        channel.finishAndReleaseAll();
    }

    @Test
    void aHeadDribbledPastTheDeadlineExpiresThoughEveryByteCameInTime() {
        for (char c : ("GET / HTTP/1.1\r\nHost: a\r\nX-Slow: " + "a".repeat(40)).toCharArray()) {
            send(String.valueOf(c));
            channel.advanceTimeBy(TIMEOUT_MILLIS / 40, TimeUnit.MILLISECONDS);
            channel.runScheduledPendingTasks();
        }

        assertThat(events).containsExactly(RequestHeadDeadline.EXPIRED);
    }

    @Test
    void aHeadThatArrivesInTimeStopsTheClock() {
        send("GET / HTTP/1.1\r\nHo");
        channel.advanceTimeBy(TIMEOUT_MILLIS - 1, TimeUnit.MILLISECONDS);
        send("st: a\r\n\r\n");
        channel.advanceTimeBy(TIMEOUT_MILLIS * 10, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();

        assertThat(events).isEmpty();
    }

    @Test
    void anIdleConnectionIsNotTheDeadlinesBusiness() {
        send("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
        channel.advanceTimeBy(TIMEOUT_MILLIS * 10, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();

        assertThat(events).isEmpty();
    }

    @Test
    void eachRequestOnAKeepAliveConnectionGetsItsOwnDeadlineFromItsFirstByte() {
        send("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\n");
        // A slow body is not the head deadline's business either.
        channel.advanceTimeBy(TIMEOUT_MILLIS * 2, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
        send("abc");
        channel.advanceTimeBy(TIMEOUT_MILLIS * 2, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
        assertThat(events).isEmpty();

        send("GET /second HTTP/1.1\r\n");
        channel.advanceTimeBy(TIMEOUT_MILLIS - 1, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
        assertThat(events).isEmpty();
        channel.advanceTimeBy(1, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
        assertThat(events).containsExactly(RequestHeadDeadline.EXPIRED);
    }

    private void send(String bytes) {
        channel.writeInbound(Unpooled.copiedBuffer(bytes, StandardCharsets.US_ASCII));
    }

    private EmbeddedChannel channel() {
        EmbeddedChannel embedded = new EmbeddedChannel();
        embedded.freezeTime();
        RequestHeadDeadline deadline = new RequestHeadDeadline(TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MILLIS));
        embedded.pipeline().addLast(deadline, new HttpRequestDecoder(), deadline.headEnd(),
                new ChannelInboundHandlerAdapter() {
                    @Override
                    public void channelRead(ChannelHandlerContext ctx, Object msg) {
                        ReferenceCountUtil.release(msg);
                    }

                    @Override
                    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
                        events.add(event);
                    }
                });
        return embedded;
    }
}
