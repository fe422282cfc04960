package io.edgegateway.filters.shed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgegateway.config.LoadSheddingConfig;
import io.edgegateway.filters.latency.LatencyWindow;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Drives the shedder slice by slice with explicit latencies and requests held in flight; P99
 * threshold 100ms, 10 slices, 100 samples. The aim is 90 ms: a slice at 200 ms asks for 0.45 of the
 * in flight, one at 50 ms for 1.8 of it.
 */
class LoadShedderTest {

    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final LoadSheddingConfig CONFIG =
            new LoadSheddingConfig(Duration.ofMillis(100), Duration.ofSeconds(10), 100);

    private final LatencyWindow window = new LatencyWindow(CONFIG.window(), 10);
    private final LoadShedder shedder = new LoadShedder(CONFIG, window, new Random(42)::nextDouble);

    /** One slice in which {@code samples} requests took {@code millis} each, then the ticker's step. */
    private void slice(int samples, long millis) {
        for (int i = 0; i < samples; i++) {
            window.record(millis * MS);
        }
        window.rotate();
        shedder.tick();
    }

    /** Admits {@code n} more requests and keeps them in flight; all must be admitted. */
    private void hold(int n, Priority priority) {
        for (int i = 0; i < n; i++) {
            assertThat(shedder.tryAdmit(priority)).isTrue();
        }
    }

    private void releaseAll() {
        while (shedder.inFlight() > 0) {
            shedder.release();
        }
    }

    /** How many of {@code n} requests are admitted (and kept in flight). */
    private int admitted(int n, Priority priority) {
        int admitted = 0;
        for (int i = 0; i < n; i++) {
            admitted += shedder.tryAdmit(priority) ? 1 : 0;
        }
        return admitted;
    }

    /**
     * Turns shedding on with 100 in flight and a slice at 200 ms: a limit of 45; then all complete in
     * a slice in the band, and another in the band shows the limit answered, so the next cut is
     * judged afresh.
     */
    private void activate() {
        hold(100, Priority.NORMAL);
        slice(200, 200);
        releaseAll();
        slice(200, 90);
        slice(200, 90);
        assertThat(shedder.concurrencyLimit()).isBetween(44, 46);
    }

    @Test
    void admitsEverythingWhileP99IsUnderTheThreshold() {
        for (int i = 0; i < 20; i++) {
            hold(50, Priority.LOW);
            slice(200, 90);
        }
        assertThat(shedder.active()).isFalse();
        assertThat(shedder.concurrencyLimit()).isEqualTo(Integer.MAX_VALUE);
        assertThat(admitted(10_000, Priority.LOW)).isEqualTo(10_000);
    }

    @Test
    void waitsForMinSamplesInTheWindow() {
        hold(10, Priority.NORMAL);
        slice(60, 500);
        assertThat(shedder.active()).isFalse();
        slice(39, 500);
        assertThat(shedder.active()).isFalse();
        slice(1, 500);
        assertThat(shedder.active()).isTrue();
    }

    @Test
    void startsAtThePeakInFlightScaledToTheAim() {
        hold(100, Priority.NORMAL);
        slice(200, 200);
        assertThat(shedder.concurrencyLimit()).as("100 x 90 / 200, to two digits").isBetween(44, 46);
        assertThat(shedder.active()).isTrue();
    }

    @Test
    void cutsOnlyWhenTwoSlicesInARowAreOverAndAtMostByHalf() {
        activate();
        hold(45, Priority.NORMAL);
        int limit = shedder.concurrencyLimit();
        slice(200, 1000);
        assertThat(shedder.concurrencyLimit()).as("one slow slice: could be noise").isEqualTo(limit);
        slice(200, 90);
        slice(200, 1000);
        assertThat(shedder.concurrencyLimit()).as("a slow slice after one in the band").isEqualTo(limit);
        slice(200, 1000);
        assertThat(shedder.concurrencyLimit()).as("ten times over: halved, no more").isBetween(22, 23);
        slice(200, 1000);
        assertThat(shedder.concurrencyLimit()).as("a new pair is needed after each move").isBetween(22, 23);
    }

    @Test
    void theCutFollowsTheLowerOfTheTwoSlicesFromTheLowerOfLimitAndPeak() {
        activate();
        hold(40, Priority.NORMAL);
        slice(200, 150);
        slice(200, 120);
        assertThat(shedder.concurrencyLimit()).as("40 x 90 / 120").isBetween(29, 31);
    }

    @Test
    void aCutAfterWhichLatencyDoesNotFallIsUndoneAndTheLimitHolds() {
        activate();
        hold(45, Priority.NORMAL);
        slice(200, 200);
        slice(200, 200);
        assertThat(shedder.concurrencyLimit()).as("45 x 90 / 200, to two digits").isBetween(20, 22);
        releaseAll();
        hold(20, Priority.NORMAL);
        slice(200, 200); // began with the 45 from before the cut in flight: not judged
        slice(200, 200);
        slice(200, 200);
        assertThat(shedder.concurrencyLimit()).as("in flight halved, latency did not move: undone").isBetween(44, 46);
        for (int i = 0; i < 10; i++) {
            slice(200, 205);
        }
        assertThat(shedder.concurrencyLimit()).as("and held").isBetween(44, 46);
        slice(200, 400);
        slice(200, 400);
        assertThat(shedder.concurrencyLimit()).as("much slower again: new overload, cut").isLessThan(44);
    }

    @Test
    void holdsWhileTheBacklogFromBeforeTheLimitDrains() {
        hold(100, Priority.NORMAL);
        slice(200, 200);
        // Still 100 in flight at the start of the next slices, more than the limit of 45 lets in.
        slice(200, 400);
        slice(200, 400);
        assertThat(shedder.concurrencyLimit()).isBetween(44, 46);
        assertThat(admitted(10, Priority.HIGH)).isZero();
    }

    @Test
    void holdsInsideTheBand() {
        activate();
        hold(45, Priority.NORMAL);
        int limit = shedder.concurrencyLimit();
        for (int i = 0; i < 30; i++) {
            slice(200, i % 2 == 0 ? 85 : 98);
            assertThat(shedder.concurrencyLimit()).isEqualTo(limit);
        }
        assertThat(shedder.active()).isTrue();
    }

    @Test
    void growsByAtMostTheSquareRootOfTheLimitWhileUnderAndInUse() {
        activate();
        hold(45, Priority.NORMAL);
        slice(200, 50);
        assertThat(shedder.concurrencyLimit()).as("one fast slice: wait for a second").isBetween(44, 46);
        slice(200, 50);
        int limit = shedder.concurrencyLimit();
        assertThat(limit).as("45 + sqrt(45)").isBetween(50, 52);
        assertThat(admitted(10, Priority.NORMAL)).isEqualTo(limit - 45);
    }

    @Test
    void turnsOffOnceUnderTheBandWithNothingTurnedAwayAndHalfTheLimitUnused() {
        activate();
        hold(20, Priority.NORMAL);
        slice(200, 50);
        assertThat(shedder.active()).isFalse();
        assertThat(shedder.concurrencyLimit()).isEqualTo(Integer.MAX_VALUE);
        assertThat(admitted(1000, Priority.LOW)).isEqualTo(1000);
    }

    @Test
    void staysOnWhileTheLimitStillTurnsRequestsAway() {
        activate();
        hold(20, Priority.NORMAL);
        admitted(100, Priority.LOW); // low fills half the limit for sure, then thins out
        slice(200, 50);
        assertThat(shedder.active()).isTrue();
    }

    @Test
    void lowFillsHalfTheLimitForSureThenThinsOutAndHighGoesAQuarterOver() {
        activate();
        int limit = shedder.concurrencyLimit();
        int half = limit / 2;
        assertThat(admitted(half, Priority.LOW)).isEqualTo(half);
        hold((limit - half) / 2, Priority.NORMAL);
        // Halfway from half the limit to the limit: about half the low requests get in.
        int low = 0;
        for (int i = 0; i < 10_000; i++) {
            if (shedder.tryAdmit(Priority.LOW)) {
                shedder.release();
                low++;
            }
        }
        double expected = 1 - (double) ((limit - half) / 2) / (limit - half);
        assertThat(low / 10_000.0).isBetween(expected - 0.05, expected + 0.05);
        int room = limit - shedder.inFlight();
        assertThat(admitted(1000, Priority.NORMAL)).isEqualTo(room);
        assertThat(admitted(1000, Priority.LOW)).isZero();
        assertThat(admitted(1000, Priority.HIGH)).isEqualTo(Math.round(limit * LoadShedder.HIGH_EXTRA));
        assertThat(shedder.inFlight()).isEqualTo(limit + Math.round(limit * LoadShedder.HIGH_EXTRA));
    }

    @Test
    void shedRequestsAreNeverCountedInFlight() {
        activate();
        hold(shedder.concurrencyLimit(), Priority.NORMAL);
        int before = shedder.inFlight();
        assertThat(admitted(1000, Priority.NORMAL)).isZero();
        assertThat(admitted(1000, Priority.LOW)).isZero();
        assertThat(shedder.inFlight()).isEqualTo(before);
    }

    @Test
    void aReleaseWithoutAnAdmissionFailsLoudly() {
        assertThatThrownBy(shedder::release).isInstanceOf(IllegalStateException.class);
        assertThat(shedder.inFlight()).isZero();
    }

    @Test
    void theShedDecisionDoesNotAllocate() {
        activate();
        hold(shedder.concurrencyLimit() * 3 / 4, Priority.NORMAL);
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        admitted(100_000, Priority.LOW);
        long thread = Thread.currentThread().getId();
        long before = threads.getThreadAllocatedBytes(thread);
        for (int i = 0; i < 1_000_000; i++) {
            if (shedder.tryAdmit(i % 2 == 0 ? Priority.LOW : Priority.NORMAL)) {
                shedder.release();
            }
        }
        long allocated = threads.getThreadAllocatedBytes(thread) - before;
        // Anything allocated per decision would be tens of megabytes here.
        assertThat(allocated).isLessThan(64 * 1024);
    }
}
