package io.edgegateway.filters.shed;

import io.edgegateway.filters.FilterContext;
import io.edgegateway.config.LoadSheddingConfig;
import io.edgegateway.filters.latency.LatencySnapshot;
import io.edgegateway.filters.latency.LatencyWindow;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;

/**
 * Sheds a route's requests while its P99 is over {@code p99-above}, by a limit on requests in flight
 * that {@link LatencyLimit} moves once per slice ({@link #tick()}, right after each
 * {@link LatencyWindow#rotate()}); off, it admits everything and only counts, and keeps a
 * {@link QueueWatch} so that a queue building up between two ticks turns the limit on at once.
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

    /** A slice that ended fewer requests says too little about throughput to set a {@link QueueWatch} by. */
    static final int WATCH_MIN_ENDED = 20;

    /** Stands for the watch while one request thread looks, so that no other looks at once. */
    private static final QueueWatch LOOKING = QueueWatch.armed(Integer.MAX_VALUE, 0);

    /** The limit a look turned on between two ticks, for the next tick to tell the controller. */
    private record EarlyStart(int inFlight, double perNano) {
    }

    private final LatencyWindow window;
    private final DoubleSupplier random;
    private final LongSupplier clock;
    private final long minSamples;
    private final long thresholdNanos;
    private final LatencyLimit controller;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger peakInFlight = new AtomicInteger();
    private final AtomicInteger turnedAway = new AtomicInteger();
    private final LongAdder ended = new LongAdder();
    private final AtomicReference<QueueWatch> watch = new AtomicReference<>(QueueWatch.NONE);
    private final AtomicReference<EarlyStart> earlyStart = new AtomicReference<>();
    private volatile int limit = LatencyLimit.UNLIMITED;
    private volatile int lowCertain = LatencyLimit.UNLIMITED;
    private volatile int highCap = LatencyLimit.UNLIMITED;
    /** In flight when the current slice began, the clock and requests ended then; the ticker's alone. */
    private int startInFlight;
    private long lastTickNanos;
    private long endedAtLastTick;

    /**
     * @param random uniform in [0, 1), called on the request path from any thread (for low priority
     *     requests between half the limit and the limit)
     * @param clock nanoseconds, as {@link System#nanoTime()}; read at each tick and, while the limit
     *     is off, when in flight passes the {@link QueueWatch}'s mark
     */
    public LoadShedder(LoadSheddingConfig config, LatencyWindow window, DoubleSupplier random, LongSupplier clock) {
        this.window = Objects.requireNonNull(window, "window");
        this.random = Objects.requireNonNull(random, "random");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.minSamples = config.minSamples();
        this.thresholdNanos = config.p99Above().toNanos();
        this.controller = new LatencyLimit(config.p99Above().toNanos(), config.minSamples(),
                window.sliceLength().toNanos());
        this.lastTickNanos = clock.getAsLong();
    }

    /** On {@link System#nanoTime()}. */
    public LoadShedder(LoadSheddingConfig config, LatencyWindow window, DoubleSupplier random) {
        this(config, window, random, System::nanoTime);
    }

    /** Draws from {@link ThreadLocalRandom}, on {@link System#nanoTime()}. */
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
                QueueWatch w = watch.get();
                if (n + 1 >= w.at()) {
                    look(w, n + 1);
                }
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

    /**
     * In flight reached the watch's mark: the first time, a span begins; after half the threshold, it
     * is judged: would the newest request wait longer than the threshold at the span's throughput,
     * which is no lower than the slice before's? Then the limit goes on now; else the mark moves to
     * where it would (never lower) and a new span begins when it is reached. One thread looks at a time
     * (the others admit on); a tick meanwhile replaces the watch, and the look then changes nothing.
     */
    private void look(QueueWatch w, int n) {
        if (!watch.compareAndSet(w, LOOKING)) {
            return;
        }
        long now = clock.getAsLong();
        long endedNow = ended.sum();
        QueueWatch next;
        if (!w.seen() || now - w.sinceNanos() > 2 * thresholdNanos) {
            next = w.seenAt(now, endedNow);
        } else if (now - w.sinceNanos() < thresholdNanos / 2) {
            next = w;
        } else {
            double perNano = w.throughputPerNano(endedNow, now);
            int mark = QueueWatch.markFor(perNano, thresholdNanos);
            if (n >= mark && perNano >= w.floorPerNano()) {
                if (watch.compareAndSet(LOOKING, QueueWatch.NONE)) {
                    earlyStart.set(new EarlyStart(n, perNano));
                    publish(controller.earlyLimit(perNano));
                }
                return;
            }
            next = w.armedAt(Math.max(mark, w.at()));
        }
        watch.compareAndSet(LOOKING, next);
    }

    /** An admitted request has ended, however it ended. */
    @Override
    public void release() {
        if (inFlight.getAndDecrement() <= 0) {
            inFlight.incrementAndGet();
            throw new IllegalStateException("release() without an admitted request");
        }
        ended.increment();
    }

    /** The controller step; see {@link LatencyLimit}. Once per slice, after the window's rotation. */
    public synchronized void tick() {
        long now = clock.getAsLong();
        long endedNow = ended.sum();
        long endedInSlice = endedNow - endedAtLastTick;
        double perNano = now > lastTickNanos ? endedInSlice / (double) (now - lastTickNanos) : 0;
        int current = inFlight.get();
        int peak = peakInFlight.getAndSet(current);
        boolean refused = turnedAway.getAndSet(0) > 0;
        EarlyStart early = earlyStart.getAndSet(null);
        if (early != null) {
            controller.startedEarly(early.inFlight(), early.perNano());
        }
        LatencySnapshot snapshot = window.snapshot();
        int next = controller.update(snapshot, peak, startInFlight, refused);
        startInFlight = current;
        lastTickNanos = now;
        endedAtLastTick = endedNow;
        publish(next);
        watch.set(next == LatencyLimit.UNLIMITED && snapshot.count() >= minSamples && endedInSlice >= WATCH_MIN_ENDED
                ? QueueWatch.armed(Math.max(peak + 1, QueueWatch.markFor(perNano, thresholdNanos)), perNano)
                : QueueWatch.NONE);
    }

    private void publish(int next) {
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
