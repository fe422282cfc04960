package io.edgegateway.server.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgegateway.config.MinBodyRate;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The body rate watch on an embedded channel whose clock the test moves: 100 bytes per second of waiting. */
class BodyRateWatchTest {

    private final AtomicInteger tooSlow = new AtomicInteger();
    private final EmbeddedChannel channel = new EmbeddedChannel();
    private final BodyRateWatch watch = watch(new MinBodyRate(100, Duration.ofSeconds(1)));

    @AfterEach
    void close() {
        channel.finishAndReleaseAll();
    }

    @Test
    void aBodyUnderTheRateIsReportedOnceAtTheEndOfItsWindow() {
        watch.requestHead(post("Content-Length", "1000"));
        watch.reading();
        receive(new DefaultHttpContent(Unpooled.wrappedBuffer(new byte[99])));
        watch.reading();

        advance(999);
        assertThat(tooSlow).hasValue(0);
        advance(1);
        assertThat(tooSlow).hasValue(1);
        advance(10_000);
        assertThat(tooSlow).hasValue(1);
    }

    @Test
    void aBodyThatIsNotReadWhileItsUpstreamIsFullIsNotBlamedForTheWait() {
        watch.requestHead(post("Content-Length", "1000"));
        watch.reading();
        advance(500);
        receive(new DefaultHttpContent(Unpooled.wrappedBuffer(new byte[10])));
        // No read is asked for: the gateway waits for its upstream, for as long as it takes.
        advance(60_000);
        assertThat(tooSlow).hasValue(0);

        watch.reading();
        advance(499);
        assertThat(tooSlow).hasValue(0);
        advance(1);
        assertThat(tooSlow).hasValue(1);
    }

    @Test
    void aBodyThatEndsOrARequestWithoutBodyIsNotWatched() {
        watch.requestHead(post("Content-Length", "5"));
        watch.reading();
        receive(new DefaultLastHttpContent(Unpooled.wrappedBuffer(new byte[5])));
        advance(10_000);

        watch.requestHead(new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/"));
        watch.reading();
        advance(10_000);

        assertThat(tooSlow).hasValue(0);
    }

    @Test
    void offNeverFires() {
        BodyRateWatch off = watch(MinBodyRate.OFF);
        off.requestHead(post("Transfer-Encoding", "chunked"));
        off.reading();
        advance(10_000);

        assertThat(tooSlow).hasValue(0);
    }

    private void receive(HttpContent content) {
        watch.received(content);
        content.release();
    }

    private void advance(long millis) {
        channel.advanceTimeBy(millis, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
    }

    private static HttpRequest post(String header, String value) {
        HttpRequest request = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/");
        request.headers().set(header, value);
        return request;
    }

    private BodyRateWatch watch(MinBodyRate rate) {
        channel.freezeTime();
        ChannelHandlerContext[] ctx = new ChannelHandlerContext[1];
        channel.pipeline().addLast(new ChannelInboundHandlerAdapter() {
            @Override
            public void handlerAdded(ChannelHandlerContext added) {
                ctx[0] = added;
            }
        });
        return BodyRateWatch.of(rate, ctx[0], tooSlow::incrementAndGet);
    }
}
