package io.edgegateway.server.proxy;

import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.EventExecutor;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * How far behind its schedule each worker loop is, the way the load tool watches its own loops: a
 * task due every {@link #PERIOD_NANOS} notes how late it ran. A loop that cannot keep up runs it
 * late time after time, and a request read while it is late again is refused before any routing or filter work
 * ({@code limits.max-event-loop-lag}), so the loop catches up and the requests it took keep their
 * latency. Each probe is written by its own loop only; {@link AcceptPause} reads its lateness from
 * the listener's loop.
 *
 * <p>A refused keep-alive connection is then parked: nothing more is read from it until its loop runs
 * the probe on time again, when half of the parked connections are read again each period, or until
 * it has been parked {@link #MAX_PARK_NANOS}. A refusal costs a read and a write, about a third of
 * serving a request, so a loop that answered every excess request would spend most of itself
 * refusing; parked, a client's next requests wait in its socket at no cost to the loop. While every
 * loop is behind, {@link AcceptPause} stops taking new connections too, so a client that reconnects
 * waits in the kernel's backlog instead.
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
    /**
     * The longest a refused connection stays parked while its loop is still behind, the
     * {@code Retry-After} its refusal gave: then it is read again, and refused again if need be, so
     * that a request waits in a parked connection no longer than its client was told to wait.
     */
    static final long MAX_PARK_NANOS = TimeUnit.SECONDS.toNanos(1);
    /** Parked connections are first checked for closed ones at this many. */
    private static final int MIN_PURGE = 64;
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
                Probe probe = new Probe(lag.maxLagNanos);
                lag.probes.put(loop, probe);
                // Fixed delay, not fixed rate: after a stall the probe runs once, late, rather than
                // again at once to catch up, which would read as on time while the loop is still behind.
                loop.scheduleWithFixedDelay(probe, PERIOD_NANOS, PERIOD_NANOS, TimeUnit.NANOSECONDS);
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
            lag.probes.put(loop, new Probe(0));
        }
        return lag;
    }

    /** The probe of {@code loop}, or null when loops are not watched. */
    Probe probe(EventExecutor loop) {
        return probes.get(loop);
    }

    /** Whether a request read at {@code now} on {@code probe}'s loop is refused: past warm-up, and the loop keeps falling behind. */
    boolean refuses(Probe probe, long now) {
        return always || now - armedAt >= 0 && probe.behind(now);
    }

    /**
     * Whether loops are watched: then a refused keep-alive connection is parked until its loop
     * catches up, and {@link AcceptPause} has something to go by. Not when every request is refused
     * whatever the loops do (nothing would ever read a parked connection again).
     */
    boolean watching() {
        return !always && !probes.isEmpty();
    }

    /** Whether, at {@code now} and past warm-up, every loop keeps falling behind; from any thread. */
    boolean allBehind(long now) {
        if (always || now - armedAt < 0 || probes.isEmpty()) {
            return false;
        }
        for (Probe probe : probes.values()) {
            if (!probe.behind(now)) {
                return false;
            }
        }
        return true;
    }

    /** Whether some loop ran its probe on time last; from any thread. */
    boolean anyCaughtUp() {
        for (Probe probe : probes.values()) {
            if (probe.onTime()) {
                return true;
            }
        }
        return false;
    }

    /** One loop's lateness, and the connections parked on it. */
    static final class Probe implements Runnable {

        private final long maxLagNanos;
        /**
         * When the probe is next due; a loop past it is behind by the difference. Written by its loop
         * only; volatile, like {@link #lastLateness}, for {@link AcceptPause}'s thread.
         */
        private volatile long due = System.nanoTime() + PERIOD_NANOS;
        /** How late the probe ran last time. */
        private volatile long lastLateness;
        /** Refused keep-alive connections not read since, oldest first. */
        private final ArrayDeque<ProxyFrontendHandler> parked = new ArrayDeque<>();
        /** The size at which {@link #park} next drops the closed ones. */
        private int purgeAt = MIN_PURGE;
        /** Requests refused on this loop since the last warning, the first of them at {@link #firstRefusedAt}. */
        private long refused;
        private long firstRefusedAt;
        /** When the last warning was logged: long enough ago at first that the first refusal is told at once. */
        private long reportedAt = System.nanoTime() - REPORT_NANOS;

        Probe(long maxLagNanos) {
            this.maxLagNanos = maxLagNanos;
        }

        @Override
        public void run() {
            long now = System.nanoTime();
            long lateness = Math.max(0, now - due);
            lastLateness = lateness;
            due = now + PERIOD_NANOS;
            if (lateness <= maxLagNanos) {
                unparkHalf();
            }
            while (!parked.isEmpty() && now - parked.peek().parkedAt() >= MAX_PARK_NANOS) {
                parked.poll().unpark();
            }
            report(now);
        }

        /**
         * Nothing more is read from {@code connection}, refused on this loop, until the loop is on time
         * again. Connections closed while parked are dropped whenever the queue has doubled, so that
         * a loop behind for long does not keep every client that gave up.
         */
        void park(ProxyFrontendHandler connection, long now) {
            if (parked.size() >= purgeAt) {
                parked.removeIf(waiting -> !waiting.isActive());
                purgeAt = Math.max(MIN_PURGE, 2 * parked.size());
            }
            connection.parkedAt(now);
            parked.add(connection);
        }

        /**
         * Reads half of the parked connections again (at least one), oldest first: a backlog comes
         * back over a few periods rather than all in one turn of the loop, which would put it behind
         * again at once.
         */
        private void unparkHalf() {
            for (int n = (parked.size() + 1) / 2; n > 0; n--) {
                parked.poll().unpark();
            }
        }

        /** Whether the probe ran on time last time; from any thread. */
        boolean onTime() {
            return lastLateness <= maxLagNanos;
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
        boolean behind(long now) {
            return lastLateness > maxLagNanos && now - due > maxLagNanos;
        }
    }
}
