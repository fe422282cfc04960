package io.edgegateway.filters.shed;

import static io.edgegateway.filters.shed.LoadShedderConvergenceTest.CONFIG;
import static io.edgegateway.filters.shed.LoadShedderConvergenceTest.SEED;
import static io.edgegateway.filters.shed.LoadShedderConvergenceTest.THRESHOLD_MS;
import static io.edgegateway.filters.shed.ShedderSimulation.MS;
import static io.edgegateway.filters.shed.ShedderSimulation.SECOND;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.IntSummaryStatistics;
import java.util.List;
import java.util.function.LongToDoubleFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The controller when the load changes: steps into overload and out of it, a pause, and surges an
 * upstream has room for; simulated as in {@link LoadShedderConvergenceTest}. A step is measured
 * whole, from its first second, as the benchmark measures its 3x phase: the limit must be on within
 * the slice the step starts in, since a slice of unshed overload queues more than 1% of the phase.
 */
class LoadShedderStepTest {

    private static final int STEP_AT_S = 20;
    private static final int STEP_END_S = 60;
    private static final int RUN_S = 100;
    private static final int TWO_WINDOWS_S = (int) (2 * CONFIG.window().toSeconds());

    /** 0.5x for 20 s, {@code overload} for 40 s, then {@code after} for 40 s. */
    @ParameterizedTest(name = "{0}: 0.5x, {1}x, {2}x")
    @CsvSource({"pool, 1.5, 0.5", "pool, 2, 0.5", "pool, 3, 0.5", "pool, 4, 0.5", "pool, 3, 0.9"})
    void holdsThroughAStepAndStopsSheddingWithinTwoWindowsAfterIt(String name, double overload, double after) {
        SimulatedShape shape = SimulatedShape.of(name);
        double capacity = shape.capacity();
        LongToDoubleFunction rate = t -> t < STEP_AT_S * SECOND ? 0.5 * capacity
                : t < STEP_END_S * SECOND ? overload * capacity : after * capacity;
        ShedderSimulation on = new ShedderSimulation(CONFIG, shape.pool(SEED), rate, SEED + 4).run(RUN_S * SECOND).traced();
        List<ShedderSimulation.Slice> slices = on.slices();

        double p99 = on.acceptedP99Millis(STEP_AT_S, STEP_END_S);
        double goodput = on.goodput(STEP_AT_S, STEP_END_S);
        IntSummaryStatistics limits = on.limits(STEP_AT_S + 1, STEP_END_S);
        int lastShed = STEP_END_S;
        int lastActive = STEP_END_S;
        for (int i = STEP_END_S; i < slices.size(); i++) {
            lastShed = slices.get(i).shed() > 0 ? i + 1 : lastShed;
            lastActive = slices.get(i).active() ? i + 1 : lastActive;
        }
        System.out.printf("step %s 0.5x -> %.1fx -> %.1fx: the %.1fx phase from its first second: accepted P99 %.1f ms (%.2fx),"
                        + " goodput %.0f of %.0f req/s (%.0f%%), limit %d..%d, turns %d; after it: last shed in second %d,"
                        + " off from second %d (the step ends at %d)%n",
                name, overload, after, overload, p99, p99 / THRESHOLD_MS, goodput, capacity, 100 * goodput / capacity,
                limits.getMin(), limits.getMax(), on.turns(STEP_AT_S + 1, STEP_END_S), lastShed, lastActive, STEP_END_S);
        assertThat(slices.subList(0, STEP_AT_S)).as("under capacity: never on").noneMatch(ShedderSimulation.Slice::active);
        assertThat(p99).as("accepted P99 over the whole step, ms").isLessThanOrEqualTo(1.25 * THRESHOLD_MS);
        assertThat(goodput).as("goodput over the whole step").isGreaterThanOrEqualTo(0.9 * capacity);
        assertThat(on.activeThroughout(STEP_AT_S, STEP_END_S)).as("on from the step's first slice to its end").isTrue();
        assertThat(on.turns(STEP_AT_S + 1, STEP_END_S)).as("turns of the limit").isLessThanOrEqualTo(shape.maxTurns());
        assertThat(limits.getMax()).as("the limit's range").isLessThanOrEqualTo(2 * limits.getMin());
        assertThat(lastShed).as("last second with a shed request").isLessThanOrEqualTo(STEP_END_S + TWO_WINDOWS_S);
        assertThat(lastActive).as("last second with the limit on").isLessThanOrEqualTo(STEP_END_S + TWO_WINDOWS_S);
    }

    /** The queue watch does not wait for a slice to begin: a step half a slice in is met as soon. */
    @Test
    void aStepInsideASliceIsMetWithinIt() {
        SimulatedShape shape = SimulatedShape.of("pool");
        long stepAt = STEP_AT_S * SECOND + SECOND / 2;
        ShedderSimulation on = new ShedderSimulation(CONFIG, shape.pool(SEED),
                t -> t >= stepAt && t < STEP_END_S * SECOND ? 3 * shape.capacity() : 0.5 * shape.capacity(), SEED + 4)
                .run(RUN_S * SECOND).traced();
        double p99 = on.acceptedP99Millis(STEP_AT_S, STEP_END_S);
        System.out.printf("step to 3x half a slice in: accepted P99 %.1f ms over the step%n", p99);
        assertThat(on.slices().get(STEP_AT_S).active()).as("on at the end of the slice the step began in").isTrue();
        assertThat(p99).isLessThanOrEqualTo(1.25 * THRESHOLD_MS);
    }

    /**
     * 4x, then two seconds with no request at all, then 4x again, as between the benchmark's warm-up
     * and its measured run: a slice in which nothing completed teaches nothing, so the limit holds
     * and the second run starts shed as the first ended.
     */
    @Test
    void keepsItsLimitThroughAPauseInTheLoad() {
        SimulatedShape shape = SimulatedShape.of("pool");
        ShedderSimulation on = new ShedderSimulation(CONFIG, shape.pool(SEED),
                t -> t >= 10 * SECOND && t < 12 * SECOND ? 0 : 4 * shape.capacity(), SEED + 4).run(42 * SECOND).traced();
        double p99 = on.acceptedP99Millis(12, 42);
        IntSummaryStatistics limits = on.limits(8, 42);
        System.out.printf("4x, a 2 s pause, 4x: accepted P99 %.1f ms after the pause, limit %d..%d%n", p99, limits.getMin(),
                limits.getMax());
        assertThat(on.activeThroughout(8, 42)).isTrue();
        assertThat(p99).isLessThanOrEqualTo(1.25 * THRESHOLD_MS);
        assertThat(on.goodput(12, 42)).isGreaterThanOrEqualTo(0.9 * shape.capacity());
    }

    /** 64 workers at 20 ms (3,200 req/s): a jump from 400 to 2,400 req/s queues nothing, so nothing is shed. */
    @Test
    void aSurgeTheUpstreamHasRoomForIsNotShed() {
        ShedderSimulation on = new ShedderSimulation(CONFIG, new SimulatedWorkerPool(64, (t, r) -> 20 * MS, SEED),
                t -> t < STEP_AT_S * SECOND ? 400 : 2400, SEED + 4).run(40 * SECOND).traced();
        assertThat(on.shed(0, 40)).isZero();
        assertThat(on.slices()).noneMatch(ShedderSimulation.Slice::active);
    }

    /**
     * 64 workers at 20 ms, 400 req/s with a burst of about 200 requests in 20 ms every 5 s: in flight
     * jumps far past throughput times the threshold, but the upstream serves each burst within 70 ms,
     * faster than the throughput before it said; the span the watch measures shows that, so nothing is shed.
     */
    @Test
    void briefBurstsTheUpstreamHasRoomForAreNotShed() {
        ShedderSimulation on = new ShedderSimulation(CONFIG, new SimulatedWorkerPool(64, (t, r) -> 20 * MS, SEED),
                t -> t % (5 * SECOND) >= 2 * SECOND && t % (5 * SECOND) < 2 * SECOND + 20 * MS ? 10_000 : 400, SEED + 4)
                .run(40 * SECOND).traced();
        int peak = on.slices().stream().mapToInt(ShedderSimulation.Slice::peakInFlight).max().orElse(0);
        System.out.printf("bursts of 200 in 20 ms on 400 req/s: peak in flight %d, accepted P99 %.1f ms%n", peak,
                on.acceptedP99Millis(0, 40));
        assertThat(peak).as("in flight passes the watch's mark").isGreaterThan(
                QueueWatch.markFor(400 / 1e9, CONFIG.p99Above().toNanos()));
        assertThat(on.shed(0, 40)).isZero();
        assertThat(on.slices()).noneMatch(ShedderSimulation.Slice::active);
    }
}
