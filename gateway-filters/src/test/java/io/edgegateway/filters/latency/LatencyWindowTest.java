package io.edgegateway.filters.latency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class LatencyWindowTest {

    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

    /** Two significant digits: every percentile within 1% of the exact one. */
    private static void assertNear(long actualNanos, long expectedNanos) {
        assertThat((double) actualNanos).isCloseTo(expectedNanos, within(expectedNanos * 0.01));
    }

    private static void recordEach(LatencyWindow window, long fromMs, long toMs) {
        for (long ms = fromMs; ms <= toMs; ms++) {
            window.record(ms * MS);
        }
    }

    @Test
    void emptyUntilTheFirstRotation() {
        LatencyWindow window = new LatencyWindow(Duration.ofSeconds(10), 10, 0.999);
        window.record(5 * MS);
        LatencySnapshot snapshot = window.snapshot();
        assertThat(snapshot.count()).isZero();
        assertThat(snapshot.p99Nanos()).isZero();
        assertThat(snapshot.quantileNanos(0.999)).isZero();
        assertThat(snapshot.recentCount()).isZero();
        assertThat(window.sliceLength()).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void percentilesOfExplicitSamples() {
        LatencyWindow window = new LatencyWindow(Duration.ofSeconds(10), 10, 0.97);
        recordEach(window, 1, 1000);
        window.rotate();
        LatencySnapshot snapshot = window.snapshot();
        assertThat(snapshot.count()).isEqualTo(1000);
        assertNear(snapshot.quantileNanos(0.5), 500 * MS);
        assertNear(snapshot.quantileNanos(0.9), 900 * MS);
        assertNear(snapshot.quantileNanos(0.95), 950 * MS);
        assertNear(snapshot.quantileNanos(0.99), 990 * MS);
        assertNear(snapshot.quantileNanos(0.97), 970 * MS);
        assertThat(snapshot.p99Nanos()).isEqualTo(snapshot.quantileNanos(0.99));
        assertThat(snapshot.recentCount()).isEqualTo(1000);
        assertThat(snapshot.recentP99Nanos()).isEqualTo(snapshot.p99Nanos());
    }

    @Test
    void onlyPrecomputedQuantilesCanBeRead() {
        LatencyWindow window = new LatencyWindow(Duration.ofSeconds(10), 10, 0.95, 0.999);
        window.rotate();
        assertThatThrownBy(() -> window.snapshot().quantileNanos(0.75))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("0.75")
                .hasMessageContaining("0.999");
        assertThatThrownBy(() -> new LatencyWindow(Duration.ofSeconds(10), 10, 1.0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new LatencyWindow(Duration.ofSeconds(10), 0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void oldSlicesFallOutAfterSlicesRotations() {
        LatencyWindow window = new LatencyWindow(Duration.ofSeconds(3), 3);
        for (int i = 0; i < 100; i++) {
            window.record(10 * MS);
        }
        window.rotate();
        assertThat(window.snapshot().count()).isEqualTo(100);

        window.rotate();
        assertThat(window.snapshot().count()).isEqualTo(100);
        assertThat(window.snapshot().recentCount()).isZero();
        assertThat(window.snapshot().recentP99Nanos()).isZero();

        for (int i = 0; i < 100; i++) {
            window.record(50 * MS);
        }
        window.rotate();
        assertThat(window.snapshot().count()).isEqualTo(200);
        assertNear(window.snapshot().p99Nanos(), 50 * MS);
        assertNear(window.snapshot().quantileNanos(0.5), 10 * MS);

        window.rotate();
        assertThat(window.snapshot().count()).isEqualTo(100);
        assertNear(window.snapshot().quantileNanos(0.5), 50 * MS);

        window.rotate();
        window.rotate();
        assertThat(window.snapshot().count()).isZero();
        assertThat(window.snapshot().p99Nanos()).isZero();
    }

    @Test
    void valuesOutOfRangeAreClamped() {
        LatencyWindow window = new LatencyWindow(Duration.ofSeconds(1), 1);
        window.record(-5);
        window.record(0);
        window.record(Long.MAX_VALUE);
        window.rotate();
        assertThat(window.snapshot().count()).isEqualTo(3);
        // Below ~100 µs the resolution is half a microsecond rather than 1%.
        assertThat(window.snapshot().quantileNanos(0.5))
                .isBetween(LatencyWindow.LOWEST_NANOS, LatencyWindow.LOWEST_NANOS + 512);
        assertNear(window.snapshot().p99Nanos(), LatencyWindow.HIGHEST_NANOS);
    }

    @Test
    void everyThreadsRecordsAreCountedWhileRotating() throws InterruptedException {
        int threads = 4;
        int perThread = 50_000;
        LatencyWindow window = new LatencyWindow(Duration.ofSeconds(100), 100);
        CountDownLatch start = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(threads);
        List<Thread> writers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            long value = (t + 1) * MS;
            Thread writer = new Thread(() -> {
                try {
                    start.await();
                    for (int i = 0; i < perThread; i++) {
                        window.record(value);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    done.countDown();
                }
            });
            writer.start();
            writers.add(writer);
        }
        start.countDown();
        int rotations = 0;
        // Fewer rotations than slices, so nothing recorded falls out of the window.
        while (done.getCount() > 0 && rotations < 90) {
            window.rotate();
            rotations++;
        }
        done.await();
        for (Thread writer : writers) {
            writer.join();
        }
        window.rotate();
        assertThat(window.snapshot().count()).isEqualTo((long) threads * perThread);
        assertNear(window.snapshot().p99Nanos(), threads * MS);
        assertNear(window.snapshot().quantileNanos(0.5), 2 * MS);
    }
}
