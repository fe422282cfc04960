package io.edgegateway.server.upstream.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class OutlierDetectorTest {

    private static final long BASE = TimeUnit.SECONDS.toNanos(10);

    private final AtomicLong now = new AtomicLong(TimeUnit.HOURS.toNanos(7));
    private final OutlierDetector detector = new OutlierDetector(3, BASE, 50, now::get);

    private boolean fail(OutlierState state, int times) {
        boolean ejected = false;
        for (int i = 0; i < times; i++) {
            ejected = detector.onFailure(state);
        }
        return ejected;
    }

    /** Ejects the instance and returns how long it stays out, found by stepping the clock. */
    private long ejectionLength(OutlierState state) {
        assertThat(fail(state, 3)).isTrue();
        long start = now.get();
        long step = BASE / 10;
        while (detector.isEjected(state)) {
            now.addAndGet(step);
        }
        return now.get() - start;
    }

    @Test
    void consecutiveFailuresEjectTheInstanceOnce() {
        OutlierState a = detector.register();
        detector.register();

        assertThat(detector.onFailure(a)).isFalse();
        assertThat(detector.onFailure(a)).isFalse();
        assertThat(detector.isEjected(a)).isFalse();
        assertThat(detector.onFailure(a)).as("the third in a row ejects").isTrue();
        assertThat(detector.isEjected(a)).isTrue();
        assertThat(detector.onFailure(a)).as("a late failure does not eject again").isFalse();
        assertThat(detector.ejectedCount()).isEqualTo(1);
    }

    @Test
    void aSuccessEndsTheRun() {
        OutlierState a = detector.register();

        fail(a, 2);
        detector.onSuccess(a);
        assertThat(fail(a, 2)).isFalse();
        assertThat(detector.onFailure(a)).isTrue();
    }

    @Test
    void theInstanceComesBackWhenItsTimeHasPassed() {
        OutlierState a = detector.register();
        fail(a, 3);

        now.addAndGet(BASE - 1);
        assertThat(detector.isEjected(a)).isTrue();
        now.addAndGet(1);
        assertThat(detector.isEjected(a)).isFalse();
        assertThat(detector.ejectedCount()).isZero();
        assertThat(detector.onFailure(a)).as("it starts a new run of failures").isFalse();
    }

    @Test
    void aLateSuccessDoesNotReadmit() {
        OutlierState a = detector.register();
        fail(a, 3);

        detector.onSuccess(a);
        assertThat(detector.isEjected(a)).isTrue();
    }

    @Test
    void eachEjectionLastsLongerUntilFiveMinutes() {
        OutlierState a = detector.register();

        assertThat(ejectionLength(a)).isEqualTo(BASE);
        assertThat(ejectionLength(a)).isEqualTo(2 * BASE);
        assertThat(ejectionLength(a)).isEqualTo(3 * BASE);
        for (int i = 4; i <= 30; i++) {
            ejectionLength(a);
        }
        assertThat(ejectionLength(a)).as("the 31st").isEqualTo(TimeUnit.SECONDS.toNanos(300));
        assertThat(ejectionLength(a)).isEqualTo(TimeUnit.SECONDS.toNanos(300));
    }

    @Test
    void aBaseLongerThanFiveMinutesIsTheCap() {
        long base = TimeUnit.SECONDS.toNanos(400);
        OutlierDetector longBase = new OutlierDetector(1, base, 50, now::get);
        OutlierState a = longBase.register();

        assertThat(longBase.onFailure(a)).isTrue();
        now.addAndGet(base);
        assertThat(longBase.isEjected(a)).isFalse();
        assertThat(longBase.onFailure(a)).isTrue();
        now.addAndGet(base - 1);
        assertThat(longBase.isEjected(a)).isTrue();
        now.addAndGet(1);
        assertThat(longBase.isEjected(a)).isFalse();
    }

    @Test
    void theMultiplierDecaysByOneForEachQuietBasePeriod() {
        OutlierState a = detector.register();
        ejectionLength(a);
        ejectionLength(a);
        assertThat(ejectionLength(a)).isEqualTo(3 * BASE);

        now.addAndGet(BASE);
        assertThat(ejectionLength(a)).as("3, less one quiet period, plus this one").isEqualTo(3 * BASE);

        now.addAndGet(2 * BASE + BASE / 2);
        assertThat(ejectionLength(a)).as("3, less two quiet periods, plus this one").isEqualTo(2 * BASE);

        now.addAndGet(TimeUnit.HOURS.toNanos(1));
        assertThat(ejectionLength(a)).as("long quiet: back to the base").isEqualTo(BASE);
    }

    @Test
    void noMoreThanTheShareIsEjectedAtOnce() {
        List<OutlierState> four = List.of(detector.register(), detector.register(), detector.register(), detector.register());

        assertThat(fail(four.get(0), 3)).isTrue();
        assertThat(fail(four.get(1), 3)).isTrue();
        assertThat(fail(four.get(2), 3)).as("50% of 4 are out already").isFalse();
        assertThat(detector.isEjected(four.get(2))).isFalse();
        assertThat(detector.ejectedCount()).isEqualTo(2);

        now.addAndGet(BASE);
        assertThat(detector.onFailure(four.get(2))).as("the run kept; a slot is free again").isTrue();
    }

    @Test
    void oneInstanceMayAlwaysBeEjected() {
        OutlierState alone = detector.register();
        assertThat(fail(alone, 3)).as("1 instance at 50%").isTrue();

        OutlierDetector pair = new OutlierDetector(3, BASE, 50, now::get);
        OutlierState first = pair.register();
        OutlierState second = pair.register();
        assertThat(pair.onFailure(first) | pair.onFailure(first) | pair.onFailure(first)).isTrue();
        assertThat(pair.onFailure(second) | pair.onFailure(second) | pair.onFailure(second))
                .as("2 instances at 50%: one").isFalse();

        OutlierDetector none = new OutlierDetector(1, BASE, 0, now::get);
        assertThat(none.onFailure(none.register())).as("even at 0%").isTrue();
    }

    @Test
    void anEjectionNobodyLookedAtDoesNotHoldTheCap() {
        OutlierState a = detector.register();
        OutlierState b = detector.register();
        fail(a, 3);

        now.addAndGet(BASE);
        assertThat(fail(b, 3)).as("a's time is up though nothing asked about it").isTrue();
        assertThat(detector.ejectedCount()).isEqualTo(1);
    }

    @Test
    void anInstanceThatLeavesGivesItsSlotBack() {
        OutlierState a = detector.register();
        OutlierState b = detector.register();
        OutlierState c = detector.register();
        fail(a, 3);

        detector.unregister(a);
        detector.unregister(a);
        assertThat(detector.ejectedCount()).isZero();
        assertThat(detector.isEjected(a)).isFalse();
        assertThat(fail(a, 3)).as("gone: never ejected again").isFalse();
        assertThat(fail(b, 3)).as("2 instances at 50%: one slot, free again").isTrue();
        assertThat(fail(c, 3)).isFalse();
        assertThatThrownBy(() -> new OutlierDetector(3, BASE, 50, now::get).unregister(b))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aReloadKeepsEveryStanding() {
        OutlierState a = detector.register();
        OutlierState b = detector.register();
        OutlierState c = detector.register();
        OutlierState d = detector.register();
        fail(a, 3);
        fail(b, 2);

        detector.reconfigure(1, BASE * 2, 100);
        assertThat(detector.isEjected(a)).isTrue();
        assertThat(detector.onFailure(b)).isTrue();
        assertThat(detector.onFailure(c)).as("a threshold of one, and a cap of all").isTrue();
        assertThat(detector.onFailure(d)).isTrue();

        now.addAndGet(BASE);
        assertThat(detector.isEjected(a)).as("its ejection was decided before the reload").isFalse();
        assertThat(detector.isEjected(b)).as("decided after: the new base").isTrue();
    }

    @Test
    void settingsOutOfRangeAreRefused() {
        assertThatThrownBy(() -> new OutlierDetector(0, BASE, 50, now::get))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("consecutiveFailures: 0 (expected: > 0)");
        assertThatThrownBy(() -> new OutlierDetector(3, 0, 50, now::get))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("baseEjectionNanos: 0 (expected: > 0)");
        assertThatThrownBy(() -> detector.reconfigure(3, BASE, 101))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("maxEjectionPercent: 101 (expected: 0 to 100)");
    }

    @Test
    void anInstanceOutlivesManyEjectionsWithoutItsCountGoingAstray() {
        List<OutlierState> states = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            states.add(detector.register());
        }
        for (int round = 0; round < 50; round++) {
            for (OutlierState state : states) {
                fail(state, 3);
            }
            assertThat(detector.ejectedCount()).isEqualTo(1);
            now.addAndGet(TimeUnit.SECONDS.toNanos(300));
        }
        assertThat(detector.ejectedCount()).isZero();
    }
}
