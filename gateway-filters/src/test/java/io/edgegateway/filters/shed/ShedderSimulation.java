package io.edgegateway.filters.shed;

import io.edgegateway.config.LoadSheddingConfig;
import io.edgegateway.filters.latency.LatencyWindow;
import java.util.ArrayList;
import java.util.IntSummaryStatistics;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.function.LongToDoubleFunction;
import org.HdrHistogram.Histogram;

/**
 * A discrete-event run of a {@link LoadShedder} in front of a {@link SimulatedWorkerPool}: open-loop
 * Poisson arrivals at a rate that may change over time, admitted ones handed to the pool, their
 * latencies recorded into the real {@link LatencyWindow}, rotated and ticked on the simulated clock.
 * Nothing here reads a real clock, so a seed reproduces a run exactly.
 */
final class ShedderSimulation {

    static final long MS = 1_000_000L;
    static final long SECOND = 1_000 * MS;

    /**
     * What one slice saw: its end, the limit set at it, requests offered, shed and completed in it,
     * the most in flight during it and at its end, and the slice's P99 in ms as the window computed it.
     */
    record Slice(long endNanos, int limit, boolean active, long offered, long shed, long completed, int peakInFlight,
            int inFlight, long recentP99) {
    }

    private final SimulatedWorkerPool pool;
    private final LongToDoubleFunction ratePerSecondAt;
    private final Random arrivals;
    private final LatencyWindow window;
    private final LoadShedder shedder;
    private final PriorityQueue<long[]> inFlight = new PriorityQueue<>((a, b) -> Long.compare(a[0], b[0]));
    private final List<Slice> slices = new ArrayList<>();
    private final long[] admittedByPriority = new long[Priority.values().length];
    /** Latency of each completed request by the second it arrived in. */
    private final List<Histogram> bySecond = new ArrayList<>();
    /** The simulated clock the shedder reads: the time of the event being handled. */
    private long clockNanos;

    /**
     * @param shedding null to run without a shedder (everything admitted)
     * @param ratePerSecondAt the arrival rate at a simulated time, in requests per second; 0 for none
     */
    ShedderSimulation(LoadSheddingConfig shedding, SimulatedWorkerPool pool, LongToDoubleFunction ratePerSecondAt,
            long seed) {
        this.pool = pool;
        this.ratePerSecondAt = ratePerSecondAt;
        this.arrivals = new Random(seed);
        Random admission = new Random(seed + 1);
        LoadSheddingConfig c = shedding != null ? shedding
                : new LoadSheddingConfig(java.time.Duration.ofSeconds(1000), java.time.Duration.ofSeconds(10), 100);
        this.window = new LatencyWindow(c.window(), 10);
        this.shedder = new LoadShedder(c, window, admission::nextDouble, () -> clockNanos);
    }

    /** Runs for {@code durationNanos} of simulated time; every request is {@link Priority#NORMAL}. */
    ShedderSimulation run(long durationNanos) {
        return run(durationNanos, r -> Priority.NORMAL);
    }

    ShedderSimulation run(long durationNanos, java.util.function.Function<Random, Priority> priorities) {
        long slice = window.sliceLength().toNanos();
        long nextTick = slice;
        long now = 0;
        long offered = 0;
        long shed = 0;
        long completed = 0;
        int peak = 0;
        while (now < durationNanos) {
            double rate = ratePerSecondAt.applyAsDouble(now);
            // At a rate of 0 nothing arrives until the next tick, when the rate is asked again.
            boolean arrives = rate > 0;
            long next = arrives ? now + (long) (-Math.log(1 - arrivals.nextDouble()) / rate * SECOND) : nextTick;
            // Completions and ticks due before the next arrival happen first, in time order.
            while (true) {
                long completion = inFlight.isEmpty() ? Long.MAX_VALUE : inFlight.peek()[0];
                long due = Math.min(completion, nextTick);
                if (due > next) {
                    break;
                }
                clockNanos = due;
                if (completion <= nextTick) {
                    long[] done = inFlight.poll();
                    long latency = done[0] - done[1];
                    window.record(latency);
                    histogramFor(done[1]).recordValue(latency);
                    shedder.release();
                    completed++;
                } else {
                    window.rotate();
                    shedder.tick();
                    slices.add(new Slice(nextTick, shedder.concurrencyLimit(), shedder.active(), offered, shed, completed,
                            peak, shedder.inFlight(), window.snapshot().recentP99Nanos() / MS));
                    offered = shed = completed = 0;
                    peak = inFlight.size();
                    nextTick += slice;
                }
            }
            now = next;
            if (now >= durationNanos) {
                break;
            }
            if (!arrives) {
                continue;
            }
            clockNanos = now;
            offered++;
            Priority priority = priorities.apply(arrivals);
            if (shedder.tryAdmit(priority)) {
                admittedByPriority[priority.ordinal()]++;
                inFlight.add(new long[] {pool.completionOf(now), now});
                peak = Math.max(peak, inFlight.size());
            } else {
                shed++;
            }
        }
        return this;
    }

    private Histogram histogramFor(long arrivalNanos) {
        int second = (int) (arrivalNanos / SECOND);
        while (bySecond.size() <= second) {
            bySecond.add(new Histogram(3_600_000_000_000L, 2));
        }
        return bySecond.get(second);
    }

    /** The P99 of requests admitted in [{@code fromSecond}, {@code toSecond}), in ms. */
    double acceptedP99Millis(int fromSecond, int toSecond) {
        Histogram all = new Histogram(3_600_000_000_000L, 2);
        for (int s = fromSecond; s < toSecond && s < bySecond.size(); s++) {
            all.add(bySecond.get(s));
        }
        return all.getValueAtPercentile(99) / (double) MS;
    }

    /** Completed requests per second among those admitted in [{@code fromSecond}, {@code toSecond}). */
    double goodput(int fromSecond, int toSecond) {
        long n = 0;
        for (int s = fromSecond; s < toSecond && s < bySecond.size(); s++) {
            n += bySecond.get(s).getTotalCount();
        }
        return (double) n / (toSecond - fromSecond);
    }

    /** Requests admitted over the whole run, by {@link Priority#ordinal()}. */
    long[] admittedByPriority() {
        return admittedByPriority.clone();
    }

    List<Slice> slices() {
        return slices;
    }

    /** The limits set at the ticks in [{@code fromSecond}, {@code toSecond}), off counted as {@link Integer#MAX_VALUE}. */
    IntSummaryStatistics limits(int fromSecond, int toSecond) {
        return slices.subList(fromSecond, Math.min(toSecond, slices.size())).stream().mapToInt(Slice::limit)
                .summaryStatistics();
    }

    /** Whether the limit was on at every tick in [{@code fromSecond}, {@code toSecond}). */
    boolean activeThroughout(int fromSecond, int toSecond) {
        return slices.subList(fromSecond, Math.min(toSecond, slices.size())).stream().allMatch(Slice::active);
    }

    /** Requests shed in [{@code fromSecond}, {@code toSecond}). */
    long shed(int fromSecond, int toSecond) {
        return slices.subList(fromSecond, Math.min(toSecond, slices.size())).stream().mapToLong(Slice::shed).sum();
    }

    /** How often the limit turned from growing to shrinking or back at the ticks in [{@code fromSecond}, {@code toSecond}). */
    int turns(int fromSecond, int toSecond) {
        int turns = 0;
        int lastSign = 0;
        for (int i = Math.max(1, fromSecond); i < Math.min(toSecond, slices.size()); i++) {
            int sign = Integer.signum(Long.compare(slices.get(i).limit(), slices.get(i - 1).limit()));
            if (sign != 0) {
                turns += lastSign != 0 && sign != lastSign ? 1 : 0;
                lastSign = sign;
            }
        }
        return turns;
    }

    /** Every slice, one a line, when {@code SIM_TRACE} is set in the environment. */
    ShedderSimulation traced() {
        if (System.getenv("SIM_TRACE") != null) {
            slices.forEach(slice -> System.out.println("  " + slice));
        }
        return this;
    }
}
