package io.edgegateway.filters.shed;

import static io.edgegateway.filters.shed.ShedderSimulation.MS;
import static io.edgegateway.filters.shed.ShedderSimulation.SECOND;
import static org.assertj.core.api.Assertions.assertThat;

import io.edgegateway.config.LoadSheddingConfig;
import java.time.Duration;
import java.util.IntSummaryStatistics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The controller against simulated upstreams of each {@link SimulatedShape}, driven open-loop at a
 * steady multiple of what the pool can serve; {@code p99-above = 100ms}, a 10 s window of 1 s
 * slices. Measured as {@code loadtest/bench/shedding-shapes.sh} measures: from the end of an
 * {@link #WARM_UP_S} warm-up (for a degrading upstream, after its ramp) to the end of the run.
 * Targets: accepted P99 at most 1.25 times the threshold, goodput at least 90% of capacity, and a
 * limit that settles (on throughout, within a range of 2x, turning rarely) instead of flapping.
 * Each run prints its figures; {@code SIM_TRACE=1} in the environment prints every slice too, and
 * {@code -Dshed.simulation.seed=N} draws other arrivals and service times.
 */
class LoadShedderConvergenceTest {

    static final LoadSheddingConfig CONFIG = new LoadSheddingConfig(Duration.ofMillis(100), Duration.ofSeconds(10), 100);
    static final double THRESHOLD_MS = 100;
    static final long SEED = Long.getLong("shed.simulation.seed", 7);
    /** The benchmark's warm-up: the first limit and the backlog from before it are behind by then. */
    static final int WARM_UP_S = 8;
    private static final int DURATION_S = 90;

    @ParameterizedTest(name = "{0} at {1}x")
    @CsvSource({"pool, 1.5", "pool, 2", "pool, 4", "degrading, 1.5", "degrading, 2", "degrading, 4",
            "heavy-tail, 1.5", "heavy-tail, 2", "heavy-tail, 4"})
    void holdsTheThresholdWithGoodputUnderSteadyOverload(String name, double overload) {
        SimulatedShape shape = SimulatedShape.of(name);
        double rate = overload * shape.capacity();
        ShedderSimulation on = new ShedderSimulation(CONFIG, shape.pool(SEED), t -> rate, SEED + 4)
                .run(DURATION_S * SECOND).traced();
        ShedderSimulation off = new ShedderSimulation(null, shape.pool(SEED), t -> rate, SEED + 4).run(DURATION_S * SECOND);
        int from = shape.settledFromSecond() + WARM_UP_S;

        double p99 = on.acceptedP99Millis(from, DURATION_S);
        double goodput = on.goodput(from, DURATION_S);
        IntSummaryStatistics limits = on.limits(from, DURATION_S);
        System.out.printf("%-10s %4.1fx: accepted P99 %6.1f ms (%.2fx), goodput %5.0f of %5.0f req/s (%3.0f%%), shed %2.0f%%,"
                        + " limit %d..%d, turns %d; the first 5 s: P99 %.0f ms; without shedding P99 %s%n",
                name, overload, p99, p99 / THRESHOLD_MS, goodput, shape.capacity(), 100 * goodput / shape.capacity(),
                100.0 * on.shed(from, DURATION_S) / (rate * (DURATION_S - from)), limits.getMin(), limits.getMax(),
                on.turns(from, DURATION_S), on.acceptedP99Millis(0, 5), withoutShedding(off, from));
        assertThat(p99).as("accepted P99, ms").isLessThanOrEqualTo(1.25 * THRESHOLD_MS);
        assertThat(goodput).as("goodput, req/s").isGreaterThanOrEqualTo(0.9 * shape.capacity());
        assertThat(on.activeThroughout(from, DURATION_S)).as("on throughout").isTrue();
        assertThat(on.turns(from, DURATION_S)).as("turns of the limit").isLessThanOrEqualTo(shape.maxTurns());
        assertThat(limits.getMax()).as("the limit's range").isLessThanOrEqualTo(2 * limits.getMin());
    }

    /**
     * An upstream as slow as 150 ms at any load (no queue: a worker for every request), 400 req/s:
     * no limit can bring its P99 under 100 ms, so the one cut that fails to (latency stays, throughput
     * falls with it) is undone and the upstream keeps serving what it can instead of the limit sinking
     * to its floor.
     */
    @Test
    void doesNotShedWhatAnUpstreamServesAsSlowlyAtAnyLoad() {
        ShedderSimulation on = new ShedderSimulation(CONFIG, new SimulatedWorkerPool(100_000, (t, r) -> 150 * MS, SEED),
                t -> 400, SEED + 4).run(DURATION_S * SECOND).traced();
        double goodput = on.goodput(WARM_UP_S, DURATION_S);
        IntSummaryStatistics limits = on.limits(WARM_UP_S, DURATION_S);
        System.out.printf("slow at any load (150 ms, 400 req/s): goodput %.0f req/s (%.0f%%), limit %d..%d%n",
                goodput, goodput / 4, limits.getMin(), limits.getMax());
        assertThat(goodput).isGreaterThanOrEqualTo(0.9 * 400);
    }

    /**
     * At 2x on the pool with a third of the traffic low and a tenth high: low is shed first and most,
     * high least, and the accepted P99 still holds.
     */
    @Test
    void lowIsShedFirstAndHighLast() {
        SimulatedShape shape = SimulatedShape.of("pool");
        long[] offered = new long[Priority.values().length];
        ShedderSimulation on = new ShedderSimulation(CONFIG, shape.pool(7), t -> 2 * shape.capacity(), 11);
        on.run(DURATION_S * SECOND, r -> {
            double u = r.nextDouble();
            Priority drawn = u < 1 / 3.0 ? Priority.LOW : u < 0.9 ? Priority.NORMAL : Priority.HIGH;
            offered[drawn.ordinal()]++;
            return drawn;
        });
        long[] admitted = on.admittedByPriority();
        double[] share = new double[offered.length];
        for (int i = 0; i < share.length; i++) {
            share[i] = (double) admitted[i] / offered[i];
        }
        double p99 = on.acceptedP99Millis(WARM_UP_S, DURATION_S);
        System.out.printf("priorities at 2x: admitted low %.0f%%, normal %.0f%%, high %.0f%%; accepted P99 %.1f ms%n",
                100 * share[0], 100 * share[1], 100 * share[2], p99);
        assertThat(share[Priority.LOW.ordinal()]).isLessThan(share[Priority.NORMAL.ordinal()]);
        assertThat(share[Priority.NORMAL.ordinal()]).isLessThan(share[Priority.HIGH.ordinal()]);
        assertThat(share[Priority.HIGH.ordinal()]).isGreaterThan(0.95);
        assertThat(p99).isLessThanOrEqualTo(1.25 * THRESHOLD_MS);
        assertThat(on.goodput(WARM_UP_S, DURATION_S)).isGreaterThanOrEqualTo(0.9 * shape.capacity());
    }

    private static String withoutShedding(ShedderSimulation off, int from) {
        return off.goodput(from, DURATION_S) == 0 ? "none admitted then completed"
                : String.format("%.0f ms", off.acceptedP99Millis(from, DURATION_S));
    }
}
