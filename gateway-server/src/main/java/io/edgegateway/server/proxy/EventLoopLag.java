package io.edgegateway.server.proxy;

import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.EventExecutor;
import java.time.Duration;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * How far behind its schedule each worker loop is, the way the load tool watches its own loops: a
 * task due every {@link #PERIOD_NANOS} notes how late it ran. A loop that cannot keep up runs it
 * late time after time, and a request read while it is late again is refused before any routing or filter work
 * ({@code limits.max-event-loop-lag}), so the loop catches up and the requests it took keep their
 * latency. Each probe is read and written by its own loop only.
 *
 * <p>A refusal is in no access log line and has no trace span: at thousands a second either would
 * cost more than the refusal. Each loop counts its own instead and, while it refuses, logs one
 * warning a second with how many; each refusal is also counted in
 * {@code gateway_shed_requests_total{reason="gateway_overload"}} and {@code gateway_requests_total}.
 */
public final class EventLoopLag {

    static final long PERIOD_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    /**
     * Nothing is refused this long after start: a fresh JVM's loops lag while classes load and code
     * compiles, and a gateway restarted under traffic must not turn that into refusals.
     */
    static final long WARM_UP_NANOS = TimeUnit.SECONDS.toNanos(10);
    /** At most one warning a loop this often while it refuses. */
    static final long REPORT_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final System.Logger LOG = System.getLogger(EventLoopLag.class.getName());

    private final long maxLagNanos;
    private final long armedAt;
    /** Every request is refused, whatever the loops do: see {@link #refusingAll}. */
    private final boolean always;
    private final Map<EventExecutor, Probe> probes = new IdentityHashMap<>();

    private EventLoopLag(long maxLagNanos, boolean always) {
        this.maxLagNanos = maxLagNanos;
        this.always = always;
        this.armedAt = always ? System.nanoTime() : System.nanoTime() + WARM_UP_NANOS;
    }

    /** Watches every loop of {@code workers}; with a zero {@code maxLag}, none, and nothing is ever refused. */
    public static EventLoopLag watch(EventLoopGroup workers, Duration maxLag) {
        EventLoopLag lag = new EventLoopLag(maxLag.toNanos(), false);
        if (lag.maxLagNanos > 0) {
            for (EventExecutor loop : workers) {
                Probe probe = new Probe();
                lag.probes.put(loop, probe);
                loop.scheduleAtFixedRate(probe, PERIOD_NANOS, PERIOD_NANOS, TimeUnit.NANOSECONDS);
            }
        }
        return lag;
    }

    /**
     * Refuses every request on {@code workers} from the start, as if each loop were always behind: for
     * tests of the refusal itself and for measuring what a refusal costs, neither of which can wait for
     * a real lag past the warm-up. Never from configuration.
     */
    public static EventLoopLag refusingAll(EventLoopGroup workers) {
        EventLoopLag lag = new EventLoopLag(0, true);
        for (EventExecutor loop : workers) {
            lag.probes.put(loop, new Probe());
        }
        return lag;
    }

    /** The probe of {@code loop}, or null when loops are not watched. */
    Probe probe(EventExecutor loop) {
        return probes.get(loop);
    }

    /** Whether a request read at {@code now} on {@code probe}'s loop is refused: past warm-up, and the loop keeps falling behind. */
    boolean refuses(Probe probe, long now) {
        return always || now - armedAt >= 0 && probe.behind(now, maxLagNanos);
    }

    /** One loop's lateness. */
    static final class Probe implements Runnable {

        /** When the probe is next due; a loop past it is behind by the difference. */
        private long due = System.nanoTime() + PERIOD_NANOS;
        /** How late the probe ran last time. */
        private long lastLateness;
        /** Requests refused on this loop since the last warning, the first of them at {@link #firstRefusedAt}. */
        private long refused;
        private long firstRefusedAt;
        /** When the last warning was logged: long enough ago at first that the first refusal is told at once. */
        private long reportedAt = System.nanoTime() - REPORT_NANOS;

        @Override
        public void run() {
            long now = System.nanoTime();
            lastLateness = Math.max(0, now - due);
            due = now + PERIOD_NANOS;
            report(now);
        }

        /** Logs the refusals since the last warning, unless there are none or that was under a second ago. */
        void report(long now) {
            if (refused > 0 && now - reportedAt >= REPORT_NANOS) {
                LOG.log(System.Logger.Level.WARNING, "event loop {0} behind its schedule (limits.max-event-loop-lag): "
                        + "{1} requests refused with 503 overloaded in the last {2} ms",
                        Thread.currentThread().getName(), refused,
                        Math.max(1, TimeUnit.NANOSECONDS.toMillis(now - firstRefusedAt)));
                refused = 0;
                reportedAt = now;
            }
        }

        /** One request was refused on this loop. */
        void refused() {
            if (refused++ == 0) {
                firstRefusedAt = System.nanoTime();
            }
        }

        /**
         * Whether the loop keeps falling behind: it ran the probe more than {@code maxLagNanos} late
         * last time and is that far past it again now ({@code now} from System.nanoTime). One stall
         * alone (a pause for garbage collection, classes loading at start) refuses nothing.
         */
        boolean behind(long now, long maxLagNanos) {
            return lastLateness > maxLagNanos && now - due > maxLagNanos;
        }
    }
}
