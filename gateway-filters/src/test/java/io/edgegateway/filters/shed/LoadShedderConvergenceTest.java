package io.edgegateway.filters.shed;

import static io.edgegateway.filters.shed.ShedderSimulation.MS;
import static io.edgegateway.filters.shed.ShedderSimulation.SECOND;
import static org.assertj.core.api.Assertions.assertThat;

import io.edgegateway.config.LoadSheddingConfig;
import java.time.Duration;
import java.util.IntSummaryStatistics;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The controller against simulated upstreams of each shape, each a pool of 8 workers with a FIFO
 * queue in front, driven open-loop at a multiple of what the pool can serve; {@code p99-above = 100ms},
 * a 10 s window of 1 s slices. Targets: over the steady part, accepted P99 at most 1.25 times the
 * threshold and goodput at least 90% of capacity, and a limit that settles instead of flapping.
 * Each run prints its figures; {@code SIM_TRACE=1} in the environment prints every slice too, and
 * {@code -Dshed.simulation.seed=N} (in surefire's argLine) draws other arrivals and service times.
 */
class LoadShedderConvergenceTest {

    private static final LoadSheddingConfig CONFIG =
            new LoadSheddingConfig(Duration.ofMillis(100), Duration.ofSeconds(10), 100);
    private static final double THRESHOLD_MS = 100;
    private static final int WORKERS = 8;
    private static final long SEED = Long.getLong("shed.simulation.seed", 7);
    private static final int DURATION_S = 90;
    /** Seconds after the start (or the ramp's end) before the steady part is measured. */
    private static final int SETTLE_S = Integer.getInteger("shed.simulation.settle", 8);

    /** The shape's service time, its capacity at the end of the run, and when it stops changing. */
    /**
     * The shape's service time, its capacity at the end of the run, when it stops changing, and how
     * often the limit may turn from growing to shrinking or back over the steady part: on a heavy tail
     * the P99 of a one-second slice swings by half either way on its own, so there it may, within a
     * range of 2x, about once every six slices.
     */
    private record Shape(SimulatedWorkerPool.ServiceTime service, double capacity, int steadyFromSecond,
            int maxDirectionChanges) {

        static Shape of(String name) {
            return switch (name) {
                // 8 x 20 ms: 400 req/s, the case the issue measured.
                case "pool" -> new Shape((t, r) -> 20 * MS, WORKERS * 1000 / 20.0, SETTLE_S, 2);
                // 10 ms growing to 30 ms over the first 40 s: 800 down to 267 req/s.
                case "degrading" -> new Shape((t, r) -> (long) ((10 + 20 * Math.min(1.0, (double) t / (40 * SECOND))) * MS),
                        WORKERS * 1000 / 30.0, 40 + SETTLE_S, 2);
                // 10 ms, but 0.5% take 100-500 ms: a mean of 11.45 ms, 699 req/s.
                case "heavy-tail" -> new Shape((t, r) -> r.nextDouble() < 0.005
                        ? (long) ((100 + 400 * r.nextDouble()) * MS) : 10 * MS,
                        WORKERS * 1000 / 11.45, SETTLE_S, 12);
                default -> throw new IllegalArgumentException(name);
            };
        }
    }

    @ParameterizedTest(name = "{0} at {1}x")
    @CsvSource({"pool, 1.5", "pool, 2", "pool, 4", "degrading, 1.5", "degrading, 2", "degrading, 4",
            "heavy-tail, 1.5", "heavy-tail, 2", "heavy-tail, 4"})
    void holdsTheThresholdWithGoodputUnderSteadyOverload(String name, double overload) {
        Shape shape = Shape.of(name);
        double rate = overload * shape.capacity();
        ShedderSimulation on = simulate(CONFIG, shape, t -> rate);
        ShedderSimulation off = simulate(null, shape, t -> rate);
        int from = shape.steadyFromSecond();

        double p99 = on.acceptedP99Millis(from, DURATION_S);
        double goodput = on.goodput(from, DURATION_S);
        System.out.printf("%-10s %4.1fx: accepted P99 %6.1f ms (%.2fx), goodput %5.0f of %5.0f req/s (%3.0f%%),"
                        + " limit %s, direction changes %d; without shedding (an unbounded queue) P99 %s%n",
                name, overload, p99, p99 / THRESHOLD_MS, goodput, shape.capacity(), 100 * goodput / shape.capacity(),
                limits(on.slices(), from), directionChanges(on.slices(), from), withoutShedding(off, from));
        trace(on);
        assertThat(p99).as("accepted P99, ms").isLessThanOrEqualTo(1.25 * THRESHOLD_MS);
        assertThat(goodput).as("goodput, req/s").isGreaterThanOrEqualTo(0.9 * shape.capacity());
        assertThat(directionChanges(on.slices(), from)).as("limit direction changes")
                .isLessThanOrEqualTo(shape.maxDirectionChanges());
        IntSummaryStatistics limits = on.slices().stream().skip(from).mapToInt(ShedderSimulation.Slice::limit)
                .summaryStatistics();
        assertThat(limits.getMax()).as("the limit's range").isLessThanOrEqualTo(2 * limits.getMin());
    }

    /**
     * An upstream as slow as 150 ms at any load (no queue: a worker for every request), 400 req/s:
     * no limit can bring its P99 under 100 ms, so the one cut that fails to is undone and the
     * upstream keeps serving what it can instead of the limit sinking to its floor.
     */
    @org.junit.jupiter.api.Test
    void doesNotShedWhatAnUpstreamServesAsSlowlyAtAnyLoad() {
        ShedderSimulation on = new ShedderSimulation(CONFIG, new SimulatedWorkerPool(100_000, (t, r) -> 150 * MS, SEED),
                t -> 400, SEED + 4).run(DURATION_S * SECOND);
        trace(on);
        double goodput = on.goodput(SETTLE_S, DURATION_S);
        System.out.printf("slow at any load (150 ms, 400 req/s): goodput %.0f req/s (%.0f%%), limit %s%n",
                goodput, goodput / 4, limits(on.slices(), SETTLE_S));
        assertThat(goodput).isGreaterThanOrEqualTo(0.9 * 400);
    }

    /** 0.5x for 20 s, 3x for 40 s, 0.5x for 40 s, on the 8 x 20 ms pool. */
    @org.junit.jupiter.api.Test
    void holdsThroughAStepAndStopsSheddingWithinTwoWindowsAfterIt() {
        Shape shape = Shape.of("pool");
        double capacity = shape.capacity();
        java.util.function.LongToDoubleFunction rate =
                t -> t >= 20 * SECOND && t < 60 * SECOND ? 3 * capacity : 0.5 * capacity;
        ShedderSimulation on = new ShedderSimulation(CONFIG, new SimulatedWorkerPool(WORKERS, shape.service(), 7), rate, 11)
                .run(100 * SECOND);
        List<ShedderSimulation.Slice> slices = on.slices();
        trace(on);

        assertThat(slices.subList(0, 20)).as("under capacity: never on").noneMatch(ShedderSimulation.Slice::active);
        double p99 = on.acceptedP99Millis(20 + SETTLE_S, 60);
        System.out.printf("whole 3x phase P99 %.1f ms, from 21 s %.1f, from 22 s %.1f, from 23 s %.1f%n", on.acceptedP99Millis(20, 60),
                on.acceptedP99Millis(21, 60), on.acceptedP99Millis(22, 60), on.acceptedP99Millis(23, 60));
        double goodput = on.goodput(20 + SETTLE_S, 60);
        int lastShed = -1;
        int lastActive = -1;
        for (int i = 60; i < slices.size(); i++) {
            lastShed = slices.get(i).shed() > 0 ? i + 1 : lastShed;
            lastActive = slices.get(i).active() ? i + 1 : lastActive;
        }
        System.out.printf("step 0.5x -> 3x -> 0.5x: during 3x accepted P99 %.1f ms (%.2fx), goodput %.0f of %.0f req/s (%.0f%%),"
                        + " direction changes %d; after: last shed at %ds, shedding off at %ds (the drop at 60s)%n",
                p99, p99 / THRESHOLD_MS, goodput, capacity, 100 * goodput / capacity,
                directionChanges(slices.subList(0, 60), 20 + SETTLE_S), Math.max(60, lastShed), Math.max(60, lastActive));
        assertThat(p99).isLessThanOrEqualTo(1.25 * THRESHOLD_MS);
        assertThat(goodput).isGreaterThanOrEqualTo(0.9 * capacity);
        assertThat(directionChanges(slices.subList(0, 60), 20 + SETTLE_S)).isLessThanOrEqualTo(shape.maxDirectionChanges());
        int twoWindows = (int) (2 * CONFIG.window().toSeconds());
        assertThat(lastShed).as("last slice with a shed request").isLessThanOrEqualTo(60 + twoWindows);
        assertThat(lastActive).as("last slice with the limit on").isLessThanOrEqualTo(60 + twoWindows);
    }

    /**
     * At 2x on the pool with a third of the traffic low and a tenth high: low is shed first and most,
     * high least, and the accepted P99 still holds.
     */
    @org.junit.jupiter.api.Test
    void lowIsShedFirstAndHighLast() {
        Shape shape = Shape.of("pool");
        Priority[] drawn = new Priority[1];
        long[] offered = new long[Priority.values().length];
        ShedderSimulation on = new ShedderSimulation(CONFIG, new SimulatedWorkerPool(WORKERS, shape.service(), 7),
                t -> 2 * shape.capacity(), 11);
        on.run(DURATION_S * SECOND, r -> {
            double u = r.nextDouble();
            drawn[0] = u < 1 / 3.0 ? Priority.LOW : u < 0.9 ? Priority.NORMAL : Priority.HIGH;
            offered[drawn[0].ordinal()]++;
            return drawn[0];
        });
        long[] admitted = on.admittedByPriority();
        double[] share = new double[offered.length];
        for (int i = 0; i < share.length; i++) {
            share[i] = (double) admitted[i] / offered[i];
        }
        double p99 = on.acceptedP99Millis(SETTLE_S, DURATION_S);
        System.out.printf("priorities at 2x: admitted low %.0f%%, normal %.0f%%, high %.0f%%; accepted P99 %.1f ms%n",
                100 * share[0], 100 * share[1], 100 * share[2], p99);
        assertThat(share[Priority.LOW.ordinal()]).isLessThan(share[Priority.NORMAL.ordinal()]);
        assertThat(share[Priority.NORMAL.ordinal()]).isLessThan(share[Priority.HIGH.ordinal()]);
        assertThat(share[Priority.HIGH.ordinal()]).isGreaterThan(0.95);
        assertThat(p99).isLessThanOrEqualTo(1.25 * THRESHOLD_MS);
        assertThat(on.goodput(SETTLE_S, DURATION_S)).isGreaterThanOrEqualTo(0.9 * shape.capacity());
    }

    private static String withoutShedding(ShedderSimulation off, int from) {
        return off.goodput(from, DURATION_S) == 0 ? "none admitted then completed"
                : String.format("%.0f ms", off.acceptedP99Millis(from, DURATION_S));
    }

    private static void trace(ShedderSimulation on) {
        if (System.getenv("SIM_TRACE") != null) {
            on.slices().forEach(sl -> System.out.println("  " + sl));
        }
    }

    private static ShedderSimulation simulate(LoadSheddingConfig config, Shape shape,
            java.util.function.LongToDoubleFunction rate) {
        return new ShedderSimulation(config, new SimulatedWorkerPool(WORKERS, shape.service(), SEED), rate, SEED + 4)
                .run(DURATION_S * SECOND);
    }

    /** How often the limit turned from growing to shrinking or back, from {@code fromSecond} on. */
    static int directionChanges(List<ShedderSimulation.Slice> slices, int fromSecond) {
        int changes = 0;
        int lastSign = 0;
        for (int i = Math.max(1, fromSecond); i < slices.size(); i++) {
            int sign = Integer.signum(Long.compare(slices.get(i).limit(), slices.get(i - 1).limit()));
            if (sign != 0) {
                changes += lastSign != 0 && sign != lastSign ? 1 : 0;
                lastSign = sign;
            }
        }
        return changes;
    }

    private static String limits(List<ShedderSimulation.Slice> slices, int fromSecond) {
        IntSummaryStatistics s = slices.stream().skip(fromSecond).mapToInt(ShedderSimulation.Slice::limit).summaryStatistics();
        return String.format("%d..%d (mean %.0f)", s.getMin(), s.getMax(), s.getAverage());
    }
}
