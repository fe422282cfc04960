package io.edgegateway.filters.shed;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgegateway.config.LoadSheddingConfig;
import io.edgegateway.filters.latency.LatencyWindow;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The queue watch between two ticks, on a clock moved by hand; P99 threshold 100ms. Each test starts
 * from a quiet slice of 400 requests at 20 ms, so the watch's mark is 400 req/s x 100 ms plus three
 * standard deviations: 59 in flight. A span is judged once half the threshold has passed.
 */
class QueueWatchTest {

    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final LoadSheddingConfig CONFIG =
            new LoadSheddingConfig(Duration.ofMillis(100), Duration.ofSeconds(10), 100);
    private static final int MARK = 59;

    private final LatencyWindow window = new LatencyWindow(CONFIG.window(), 10);
    private long now;
    private final LoadShedder shedder = new LoadShedder(CONFIG, window, new Random(42)::nextDouble, () -> now);

    @BeforeEach
    void aQuietSlice() {
        quietSlice(400);
        assertThat(QueueWatch.markFor(400 / 1e9, CONFIG.p99Above().toNanos())).isEqualTo(MARK);
    }

    /** {@code n} requests admitted and answered in 20 ms each over a second, then the tick. */
    private void quietSlice(int n) {
        for (int i = 0; i < n; i++) {
            assertThat(shedder.tryAdmit(Priority.NORMAL)).isTrue();
            shedder.release();
            window.record(20 * MS);
        }
        now += TimeUnit.SECONDS.toNanos(1);
        window.rotate();
        shedder.tick();
    }

    private void hold(int n) {
        for (int i = 0; i < n; i++) {
            assertThat(shedder.tryAdmit(Priority.NORMAL)).isTrue();
        }
    }

    private void release(int n) {
        for (int i = 0; i < n; i++) {
            shedder.release();
        }
    }

    @Test
    void aQueueBuildingBetweenTicksTurnsTheLimitOnWithinTheSlice() {
        now += 100 * MS;
        hold(MARK); // the span begins
        now += 50 * MS;
        release(20); // 400 req/s, as before: the upstream is full
        hold(20);
        assertThat(shedder.active()).as("59 in flight at 400 req/s: the newest waits 148 ms").isTrue();
        assertThat(shedder.concurrencyLimit()).as("three quarters of 400 req/s x 90 ms").isEqualTo(27);
        assertThat(shedder.tryAdmit(Priority.NORMAL)).isFalse();
    }

    @Test
    void theNextTickTakesTheEarlyLimitOver() {
        aQueueBuildingBetweenTicksTurnsTheLimitOnWithinTheSlice();
        release(shedder.inFlight());
        hold(27);
        for (int i = 0; i < 400; i++) {
            window.record(60 * MS);
        }
        now += 850 * MS;
        window.rotate();
        shedder.tick();
        assertThat(shedder.concurrencyLimit()).as("in the band: held").isEqualTo(27);
        release(27);
        quietSlice(100); // began with 27 in flight: half the limit was not shown unused yet
        quietSlice(100);
        assertThat(shedder.active()).as("light load again: off, as after any start").isFalse();
    }

    @Test
    void aBurstTheUpstreamServesFasterThanBeforeIsNotShed() {
        now += 100 * MS;
        hold(MARK);
        now += 50 * MS;
        release(MARK); // 1,180 req/s: it had room
        hold(MARK + 1);
        assertThat(shedder.active()).isFalse();
        hold(100);
        assertThat(shedder.active()).as("the mark moved to 1,180 x 100 ms and more").isFalse();
    }

    @Test
    void anUpstreamThatStallsIsLeftToTheSlices() {
        now += 100 * MS;
        hold(MARK);
        now += 50 * MS;
        release(5); // 100 req/s: slower than before, not more load than it serves
        hold(10);
        assertThat(shedder.active()).isFalse();
    }

    @Test
    void aSpanIsNotJudgedBeforeHalfTheThreshold() {
        now += 100 * MS;
        hold(MARK);
        now += 40 * MS;
        release(16); // 400 req/s
        hold(30);
        assertThat(shedder.active()).as("40 ms in").isFalse();
        now += 10 * MS;
        release(4);
        hold(1);
        assertThat(shedder.active()).as("50 ms in").isTrue();
    }

    @Test
    void aSpanOlderThanTwiceTheThresholdBeginsAgain() {
        now += 100 * MS;
        hold(MARK);
        release(MARK);
        now += 300 * MS;
        hold(MARK); // a new span begins here: the old one's 59 in 300 ms is not the throughput now
        now += 50 * MS;
        release(5);
        hold(10);
        assertThat(shedder.active()).as("judged on the new span: 100 req/s, a stall").isFalse();
    }

    @Test
    void nothingIsWatchedUntilTheWindowHoldsMinSamples() {
        LatencyWindow fresh = new LatencyWindow(CONFIG.window(), 10);
        LoadShedder young = new LoadShedder(CONFIG, fresh, new Random(42)::nextDouble, () -> now);
        for (int i = 0; i < 60; i++) {
            young.tryAdmit(Priority.NORMAL);
            young.release();
            fresh.record(20 * MS);
        }
        now += TimeUnit.SECONDS.toNanos(1);
        fresh.rotate();
        young.tick();
        now += 100 * MS;
        for (int i = 0; i < 1000; i++) {
            assertThat(young.tryAdmit(Priority.NORMAL)).isTrue();
        }
        now += 100 * MS;
        assertThat(young.tryAdmit(Priority.NORMAL)).isTrue();
        assertThat(young.active()).isFalse();
    }

    @Test
    void admittingUnderTheMarkDoesNotAllocate() {
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        hold(MARK - 2);
        long thread = Thread.currentThread().getId();
        long before = threads.getThreadAllocatedBytes(thread);
        for (int i = 0; i < 1_000_000; i++) {
            if (shedder.tryAdmit(Priority.NORMAL)) {
                shedder.release();
            }
        }
        long allocated = threads.getThreadAllocatedBytes(thread) - before;
        assertThat(allocated).isLessThan(64 * 1024);
    }
}
