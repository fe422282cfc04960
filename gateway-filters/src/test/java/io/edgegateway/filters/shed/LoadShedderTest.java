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
 * Drives the shedder slice by slice with explicit latencies and requests held in flight, on a clock
 * that moves a second per slice; P99 threshold 100ms, 10 slices, 100 samples. The aim is 90 ms: a
 * slice at 200 ms asks for 0.45 of the in flight, one at 50 ms for 1.8 of it; a slice of N samples
 * caps the limit at N x 0.09 (Little's law at N req/s) and lets it turn on only with more than
 * N x 0.1 in flight.
 */
class LoadShedderTest {

    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final LoadSheddingConfig CONFIG =
            new LoadSheddingConfig(Duration.ofMillis(100), Duration.ofSeconds(10), 100);

    private final LatencyWindow window = new LatencyWindow(CONFIG.window(), 10);
    private long now;
    private final LoadShedder shedder = new LoadShedder(CONFIG, window, new Random(42)::nextDouble, () -> now);

    /** One slice in which {@code samples} requests took {@code millis} each, then the ticker's step. */
    private void slice(int samples, long millis) {
        for (int i = 0; i < samples; i++) {
            window.record(millis * MS);
        }
        now += TimeUnit.SECONDS.toNanos(1);
        window.rotate();
        shedder.tick();
    }

    /** Admits {@code n} more requests and keeps them in flight; all must be admitted. */
    private void hold(int n, Priority priority) {
        for (int i = 0; i < n; i++) {
            assertThat(shedder.tryAdmit(priority)).isTrue();
        }
    }

    private void hold(int n) {
        hold(n, Priority.NORMAL);
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
     * Turns shedding on with 100 in flight and a slice of 600 at 200 ms: a limit of 45 (the cap is
     * 54); then all complete in a slice in the band, and another in the band shows the limit
     * answered, so the next cut is judged afresh.
     */
    private void activate() {
        hold(100);
        slice(600, 200);
        releaseAll();
        slice(600, 90);
        slice(600, 90);
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
        hold(10);
        slice(60, 500);
        assertThat(shedder.active()).isFalse();
        slice(39, 500);
        assertThat(shedder.active()).isFalse();
        slice(1, 500);
        assertThat(shedder.active()).isTrue();
    }

    @Test
    void startsAtThePeakInFlightScaledToTheAim() {
        hold(100);
        slice(600, 200);
        assertThat(shedder.concurrencyLimit()).as("100 x 90 / 200, to two digits").isBetween(44, 46);
        assertThat(shedder.active()).isTrue();
    }

    @Test
    void startsNoHigherThanThroughputTimesTheAim() {
        hold(1000);
        slice(400, 700);
        assertThat(shedder.concurrencyLimit()).as("400 req/s x 90 ms, not 1000 x 90 / 700").isEqualTo(36);
    }

    @Test
    void staysOffWhenInFlightNeverWentOverThroughputTimesTheThreshold() {
        hold(50);
        slice(600, 500);
        slice(600, 500);
        assertThat(shedder.active()).as("50 in flight at 600 req/s: 83 ms on average, a tail of the upstream's own")
                .isFalse();
        hold(11);
        slice(600, 500);
        assertThat(shedder.active()).as("61: more than 600 x 100 ms").isTrue();
    }

    @Test
    void cutsOnlyWhenTwoSlicesInARowAreOverAndAtMostByHalf() {
        activate();
        hold(45);
        int limit = shedder.concurrencyLimit();
        slice(1000, 1000);
        assertThat(shedder.concurrencyLimit()).as("one slow slice: could be noise").isEqualTo(limit);
        slice(1000, 90);
        slice(1000, 1000);
        assertThat(shedder.concurrencyLimit()).as("a slow slice after one in the band").isEqualTo(limit);
        slice(1000, 1000);
        assertThat(shedder.concurrencyLimit()).as("ten times over: halved, no more").isBetween(22, 23);
        slice(1000, 1000);
        assertThat(shedder.concurrencyLimit()).as("a new pair is needed after each move").isBetween(22, 23);
    }

    @Test
    void theCutFollowsTheLowerOfTheTwoSlicesFromTheLowerOfLimitAndPeak() {
        activate();
        hold(40);
        slice(1000, 150);
        slice(1000, 120);
        assertThat(shedder.concurrencyLimit()).as("40 x 90 / 120").isBetween(29, 31);
    }

    @Test
    void theCutGoesFurtherThanHalfToThroughputTimesTheAim() {
        activate();
        hold(45);
        slice(150, 150);
        slice(200, 150);
        assertThat(shedder.concurrencyLimit()).as("200 req/s x 90 ms, under 45 x 90 / 150 and under half").isEqualTo(18);
    }

    @Test
    void aCutAfterWhichLatencyStaysAndThroughputFallsIsUndoneAndTheLimitHolds() {
        activate();
        hold(45);
        slice(1000, 200);
        slice(1000, 200);
        assertThat(shedder.concurrencyLimit()).as("45 x 90 / 200, to two digits").isBetween(20, 22);
        releaseAll();
        hold(20);
        slice(450, 200); // began with the 45 from before the cut in flight: not judged
        slice(450, 200);
        slice(450, 200);
        assertThat(shedder.concurrencyLimit()).as("in flight and throughput halved, latency did not move: undone")
                .isBetween(44, 46);
        for (int i = 0; i < 10; i++) {
            slice(1000, 205);
        }
        assertThat(shedder.concurrencyLimit()).as("and held").isBetween(44, 46);
        slice(1000, 400);
        slice(1000, 400);
        assertThat(shedder.concurrencyLimit()).as("much slower again: new overload, cut").isLessThan(44);
    }

    @Test
    void aCutAfterWhichThroughputHoldsIsNotUndoneThoughLatencyStays() {
        activate();
        hold(45);
        slice(1000, 200);
        slice(1000, 200);
        releaseAll();
        hold(20);
        slice(1000, 200);
        slice(1000, 200);
        slice(1000, 200);
        assertThat(shedder.concurrencyLimit()).as("an upstream slowing down as it is cut: cut on, from 20 by half")
                .isEqualTo(10);
    }

    @Test
    void holdsWhileTheBacklogFromBeforeTheLimitDrains() {
        hold(100);
        slice(600, 200);
        // Still 100 in flight at the start of the next slices, more than the limit of 45 lets in.
        slice(600, 400);
        slice(600, 400);
        assertThat(shedder.concurrencyLimit()).isBetween(44, 46);
        assertThat(admitted(10, Priority.HIGH)).isZero();
    }

    @Test
    void holdsInsideTheBand() {
        activate();
        hold(45);
        int limit = shedder.concurrencyLimit();
        for (int i = 0; i < 30; i++) {
            slice(1000, i % 2 == 0 ? 85 : 98);
            assertThat(shedder.concurrencyLimit()).isEqualTo(limit);
        }
        assertThat(shedder.active()).isTrue();
    }

    @Test
    void growsByAtMostTheSquareRootOfTheLimitOnceTheWholeWindowIsUnderTheBand() {
        activate();
        hold(45);
        for (int i = 0; i < 9; i++) {
            slice(1000, 50);
            assertThat(shedder.concurrencyLimit()).as("the window still holds slices at 200 and 90 ms").isBetween(44, 46);
        }
        slice(1000, 50);
        int limit = shedder.concurrencyLimit();
        assertThat(limit).as("45 + sqrt(45)").isBetween(51, 52);
        assertThat(admitted(10, Priority.NORMAL)).isEqualTo(limit - 45);
    }

    @Test
    void turnsOffOnceUnderTheBandWithNothingTurnedAwayAndHalfTheLimitUnused() {
        activate();
        hold(20);
        slice(1000, 50);
        assertThat(shedder.active()).isFalse();
        assertThat(shedder.concurrencyLimit()).isEqualTo(Integer.MAX_VALUE);
        assertThat(admitted(1000, Priority.LOW)).isEqualTo(1000);
    }

    @Test
    void staysOnWhileTheLimitStillTurnsRequestsAway() {
        activate();
        hold(20);
        admitted(100, Priority.LOW); // low fills half the limit for sure, then thins out
        slice(1000, 50);
        assertThat(shedder.active()).isTrue();
    }

    @Test
    void aSliceInWhichNothingCompletedHolds() {
        activate();
        int limit = shedder.concurrencyLimit();
        slice(0, 0);
        slice(0, 0);
        assertThat(shedder.concurrencyLimit()).as("no traffic: nothing learned").isEqualTo(limit);
        hold(10);
        slice(1000, 50);
        assertThat(shedder.active()).as("light traffic again: off").isFalse();
    }

    @Test
    void lowFillsHalfTheLimitForSureThenThinsOutAndHighGoesAQuarterOver() {
        activate();
        int limit = shedder.concurrencyLimit();
        int half = limit / 2;
        assertThat(admitted(half, Priority.LOW)).isEqualTo(half);
        hold((limit - half) / 2);
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
        hold(shedder.concurrencyLimit());
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
        hold(shedder.concurrencyLimit() * 3 / 4);
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
