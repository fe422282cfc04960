package io.edgegateway.filters.shed;

import io.edgegateway.filters.FilterContext;
import io.edgegateway.config.LoadSheddingConfig;
import io.edgegateway.filters.latency.LatencyWindow;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.DoubleSupplier;

/**
 * Sheds a route's requests while its P99 is over {@code p99-above}, by a limit on requests in flight
 * that {@link LatencyLimit} moves once per slice ({@link #tick()}, right after each
 * {@link LatencyWindow#rotate()}); off, it admits everything and only counts.
 *
 * <p>A limit, unlike shedding a fraction at random, holds on any upstream that queues: while it binds,
 * what the upstream is handed is what it completes, so its queue cannot grow behind the gateway's back.
 * Priorities share it unevenly: {@link Priority#NORMAL} fills the limit; {@link Priority#LOW} fills
 * half of it for sure and the other half with a chance that falls to 0 at the limit, so low requests
 * go first and thin out gradually; {@link Priority#HIGH} may go {@link #HIGH_EXTRA} over it, a hard cap
 * the controller sees as in flight like any other. Every admitted request must be
 * {@link #release() released} once, on the shedder that admitted it; shed ones never are.
 */
public final class LoadShedder implements FilterContext.Releasable {

    /** How far over the limit {@link Priority#HIGH} requests may go, as a share of it. */
    static final double HIGH_EXTRA = 0.25;

    private final LatencyWindow window;
    private final DoubleSupplier random;
    private final LatencyLimit controller;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger peakInFlight = new AtomicInteger();
    private final AtomicInteger turnedAway = new AtomicInteger();
    private volatile int limit = LatencyLimit.UNLIMITED;
    private volatile int lowCertain = LatencyLimit.UNLIMITED;
    private volatile int highCap = LatencyLimit.UNLIMITED;
    /** In flight when the current slice began; the ticker's alone. */
    private int startInFlight;

    /**
     * @param random uniform in [0, 1), called on the request path from any thread (for low priority
     *     requests between half the limit and the limit)
     */
    public LoadShedder(LoadSheddingConfig config, LatencyWindow window, DoubleSupplier random) {
        this.window = Objects.requireNonNull(window, "window");
        this.random = Objects.requireNonNull(random, "random");
        this.controller = new LatencyLimit(config.p99Above().toNanos(), config.minSamples(),
                window.sliceLength().toNanos());
    }

    /** Draws from {@link ThreadLocalRandom}. */
    public LoadShedder(LoadSheddingConfig config, LatencyWindow window) {
        this(config, window, () -> ThreadLocalRandom.current().nextDouble());
    }

    /** Lock-free and allocation-free; {@code false}: answer 503 now, and do not {@link #release()}. */
    public boolean tryAdmit(Priority priority) {
        int normal = limit;
        int cap = switch (priority) {
            case HIGH -> highCap;
            case NORMAL -> normal;
            case LOW -> lowCap(normal);
        };
        for (int n = inFlight.get(); n < cap; n = inFlight.get()) {
            if (inFlight.compareAndSet(n, n + 1)) {
                notePeak(n + 1);
                return true;
            }
        }
        if (normal != LatencyLimit.UNLIMITED) {
            turnedAway.incrementAndGet();
        }
        return false;
    }

    /** Under half the limit always; above it, with a chance that falls linearly to 0 at the limit. */
    private int lowCap(int normal) {
        int certain = lowCertain;
        if (normal == LatencyLimit.UNLIMITED) {
            return normal;
        }
        int n = inFlight.get();
        if (n < certain) {
            return certain;
        }
        return random.getAsDouble() * (normal - certain) < normal - n ? n + 1 : n;
    }

    /** An admitted request has ended, however it ended. */
    @Override
    public void release() {
        if (inFlight.getAndDecrement() <= 0) {
            inFlight.incrementAndGet();
            throw new IllegalStateException("release() without an admitted request");
        }
    }

    /** The controller step; see {@link LatencyLimit}. Once per slice, after the window's rotation. */
    public synchronized void tick() {
        int now = inFlight.get();
        int peak = peakInFlight.getAndSet(now);
        boolean refused = turnedAway.getAndSet(0) > 0;
        int next = controller.update(window.snapshot(), peak, startInFlight, refused);
        startInFlight = now;
        if (next == LatencyLimit.UNLIMITED) {
            lowCertain = highCap = limit = LatencyLimit.UNLIMITED;
        } else {
            lowCertain = Math.max(1, next / 2);
            highCap = (int) Math.min(LatencyLimit.UNLIMITED - 1, next + Math.max(1, Math.round(next * HIGH_EXTRA)));
            limit = next;
        }
    }

    /** Whether a limit is in force (requests are shed when in flight reaches it). */
    public boolean active() {
        return limit != LatencyLimit.UNLIMITED;
    }

    /** Requests allowed in flight at {@link Priority#NORMAL}; {@link Integer#MAX_VALUE} while shedding is off. */
    public int concurrencyLimit() {
        return limit;
    }

    public int inFlight() {
        return inFlight.get();
    }

    private void notePeak(int n) {
        int seen = peakInFlight.get();
        while (n > seen && !peakInFlight.compareAndSet(seen, n)) {
            seen = peakInFlight.get();
        }
    }
}
