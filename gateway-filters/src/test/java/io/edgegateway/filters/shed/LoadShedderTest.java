package io.edgegateway.filters.shed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgegateway.config.LoadSheddingConfig;
import io.edgegateway.filters.latency.LatencyWindow;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Drives the shedder slice by slice with explicit latencies; P99 threshold 100ms, 10 slices, 100 samples. */
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

    /** Just over the 100 ms threshold: the limit is cut by the gentlest step, {@link LoadShedder#TIGHTEN}. */
    private static final long JUST_OVER = 105;

    private void overloadJustOverUntil(double fraction) {
        while (shedder.shedFraction() < fraction) {
            slice(200, JUST_OVER);
        }
    }

    private void overloadUntil(double fraction) {
        while (shedder.shedFraction() < fraction) {
            slice(200, 500);
        }
    }

    /** How many of {@code n} requests at {@code priority} are shed, each admitted one released at once. */
    private int shedOf(int n, Priority priority) {
        int shed = 0;
        for (int i = 0; i < n; i++) {
            if (shedder.tryAdmit(priority)) {
                shedder.release();
            } else {
                shed++;
            }
        }
        return shed;
    }

    @Test
    void admitsEverythingWhileP99IsUnderTheThreshold() {
        for (int i = 0; i < 20; i++) {
            slice(200, 90);
        }
        assertThat(shedder.active()).isFalse();
        assertThat(shedder.shedFraction()).isZero();
        assertThat(shedder.concurrencyLimit()).isEqualTo(Integer.MAX_VALUE);
        assertThat(shedOf(1000, Priority.LOW)).isZero();
    }

    @Test
    void waitsForMinSamplesInTheWindow() {
        slice(60, 500);
        assertThat(shedder.active()).isFalse();
        slice(39, 500);
        assertThat(shedder.active()).isFalse();
        slice(1, 500);
        assertThat(shedder.active()).isTrue();
        assertThat(shedder.shedFraction()).isEqualTo(0.1);
    }

    @Test
    void theFractionGrowsStepByStepWhileP99StaysOverUpToACap() {
        double[] expected = {0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.9, 0.9};
        for (double fraction : expected) {
            slice(200, 500);
            assertThat(shedder.shedFraction()).isEqualTo(fraction);
        }
        assertThat(shedOf(10_000, Priority.NORMAL)).isBetween(8_800, 9_200);
    }

    @Test
    void theFractionFallsByHalfStepsAfterRecoveryThenSheddingTurnsOff() {
        overloadUntil(0.5);
        double[] expected = {0.45, 0.4, 0.35, 0.3, 0.25, 0.2, 0.15, 0.1, 0.05};
        for (double fraction : expected) {
            slice(200, 50);
            assertThat(shedder.shedFraction()).isEqualTo(fraction);
            assertThat(shedder.active()).isTrue();
        }
        slice(200, 50);
        assertThat(shedder.shedFraction()).isZero();
        assertThat(shedder.active()).isFalse();
        assertThat(shedder.concurrencyLimit()).isEqualTo(Integer.MAX_VALUE);
    }

    @Test
    void staysOnUntilTheSlowSlicesHaveLeftTheWindow() {
        overloadUntil(0.2);
        for (int i = 0; i < 9; i++) {
            slice(200, 50);
            assertThat(shedder.active()).isTrue();
        }
        assertThat(shedder.shedFraction()).isZero();
        assertThat(shedder.concurrencyLimit()).isLessThan(Integer.MAX_VALUE);
        // The tenth fast slice pushes the last slow one out: off, and it stays off.
        slice(200, 50);
        assertThat(shedder.active()).isFalse();
        slice(200, 50);
        assertThat(shedder.active()).isFalse();
    }

    @Test
    void holdsInsideTheHysteresisBand() {
        overloadUntil(0.3);
        int limit = shedder.concurrencyLimit();
        for (int i = 0; i < 30; i++) {
            slice(200, i % 2 == 0 ? 85 : 95);
            assertThat(shedder.shedFraction()).isEqualTo(0.3);
            assertThat(shedder.concurrencyLimit()).isEqualTo(limit);
        }
        assertThat(shedder.active()).isTrue();
    }

    @Test
    void lowerPrioritiesAreShedFirst() {
        overloadUntil(0.3);
        assertThat(shedOf(10_000, Priority.LOW)).isBetween(5_800, 6_200);
        assertThat(shedOf(10_000, Priority.NORMAL)).isBetween(2_800, 3_200);
        assertThat(shedOf(10_000, Priority.HIGH)).isZero();

        overloadUntil(0.5);
        assertThat(shedOf(1_000, Priority.LOW)).isEqualTo(1_000);
        assertThat(shedOf(1_000, Priority.HIGH)).isZero();
    }

    @Test
    void theFurtherOverTheHarderTheLimitIsCutDownToHalfATick() {
        for (int i = 0; i < 100; i++) {
            assertThat(shedder.tryAdmit(Priority.NORMAL)).isTrue();
        }
        slice(200, 125);
        int limit = shedder.concurrencyLimit();
        assertThat(limit).as("cut by 100 ms over 125 ms, as recorded to two digits").isBetween(78, 80);
        slice(200, 1000);
        assertThat(shedder.concurrencyLimit()).as("ten times over: halved, no more").isEqualTo(limit / 2);
    }

    @Test
    void whileTheLimitTurnsRequestsAwayTheFractionHolds() {
        for (int i = 0; i < 100; i++) {
            assertThat(shedder.tryAdmit(Priority.NORMAL)).isTrue();
        }
        slice(200, JUST_OVER);
        assertThat(shedder.shedFraction()).isEqualTo(0.1);
        assertThat(shedder.concurrencyLimit()).isEqualTo(90);

        // In flight stays at the limit: the limit is acting, so only it tightens.
        slice(200, JUST_OVER);
        assertThat(shedder.shedFraction()).isEqualTo(0.1);
        assertThat(shedder.concurrencyLimit()).isEqualTo(81);
    }

    @Test
    void theConcurrencyLimitTightensWhileOverAndBindsEveryPriority() {
        for (int i = 0; i < 100; i++) {
            assertThat(shedder.tryAdmit(Priority.HIGH)).isTrue();
        }
        slice(200, JUST_OVER);
        assertThat(shedder.concurrencyLimit()).isEqualTo(90);
        assertThat(shedder.inFlight()).isEqualTo(100);
        assertThat(shedder.tryAdmit(Priority.HIGH)).isFalse();
        assertThat(shedder.inFlight()).isEqualTo(100);

        for (int i = 0; i < 20; i++) {
            shedder.release();
        }
        int admitted = 0;
        for (int i = 0; i < 50; i++) {
            admitted += shedder.tryAdmit(Priority.HIGH) ? 1 : 0;
        }
        assertThat(admitted).isEqualTo(10);
        assertThat(shedder.inFlight()).isEqualTo(90);
        // LOW may fill only half the limit.
        assertThat(shedder.tryAdmit(Priority.LOW)).isFalse();

        slice(200, JUST_OVER);
        assertThat(shedder.concurrencyLimit()).isEqualTo(81);
        for (int i = 0; i < 30; i++) {
            slice(200, JUST_OVER);
        }
        assertThat(shedder.concurrencyLimit()).isEqualTo(LoadShedder.MIN_LIMIT);
    }

    @Test
    void theLimitGrowsBackAfterRecoveryAndReleasedRequestsLeaveRoom() {
        for (int i = 0; i < 40; i++) {
            assertThat(shedder.tryAdmit(Priority.NORMAL)).isTrue();
        }
        slice(200, JUST_OVER);
        assertThat(shedder.concurrencyLimit()).isEqualTo(36);
        for (int i = 0; i < 40; i++) {
            shedder.release();
        }
        assertThat(shedder.inFlight()).isZero();

        slice(200, 50);
        assertThat(shedder.concurrencyLimit()).isEqualTo(40);
        slice(200, 50);
        assertThat(shedder.concurrencyLimit()).isEqualTo(45);
        assertThat(shedder.tryAdmit(Priority.HIGH)).isTrue();
        assertThat(shedder.inFlight()).isEqualTo(1);
    }

    @Test
    void shedRequestsAreNeverCountedInFlight() {
        overloadUntil(0.9);
        int shed = shedOf(1_000, Priority.LOW);
        assertThat(shed).isEqualTo(1_000);
        assertThat(shedder.inFlight()).isZero();
    }

    @Test
    void aReleaseWithoutAnAdmissionFailsLoudly() {
        assertThatThrownBy(shedder::release).isInstanceOf(IllegalStateException.class);
        assertThat(shedder.inFlight()).isZero();
    }

    @Test
    void theShedDecisionDoesNotAllocate() {
        overloadUntil(0.5);
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        shedOf(100_000, Priority.NORMAL);
        long thread = Thread.currentThread().getId();
        long before = threads.getThreadAllocatedBytes(thread);
        shedOf(1_000_000, Priority.LOW);
        shedOf(1_000_000, Priority.NORMAL);
        long allocated = threads.getThreadAllocatedBytes(thread) - before;
        // Anything allocated per decision would be tens of megabytes here.
        assertThat(allocated).isLessThan(64 * 1024);
    }
}
