package io.edgegateway.filters.shed;

import io.edgegateway.config.LoadSheddingConfig;
import io.edgegateway.filters.latency.LatencySnapshot;
import io.edgegateway.filters.latency.LatencyWindow;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.DoubleSupplier;

/**
 * Sheds a route's requests while its P99 is over {@code p99-above}: a fraction of new requests at
 * random, and whatever exceeds a limit on requests in flight.
 *
 * <p>{@link #tick()}, right after each {@link LatencyWindow#rotate()}, is the controller:
 * <ul>
 *   <li><b>over</b>: the window holds at least {@code min-samples} and both its P99 and the newest
 *       slice's P99 are above the threshold (the window proves it, the slice says it is still so):
 *       shedding turns on, the fraction grows by {@link #STEP} up to {@link #MAX_FRACTION} (unless
 *       the limit already turned requests away in that slice: then the limit is what acts), and the
 *       limit becomes the lower of itself and the peak in flight since the last tick, times the
 *       threshold over the slice's P99 (as far under as latency is over, in the manner of a gradient
 *       limiter), between {@link #MAX_CUT} and {@link #TIGHTEN}, never under {@link #MIN_LIMIT};</li>
 *   <li><b>recovered</b>: the newest slice's P99 is at most {@link #RECOVERED} times the threshold:
 *       the fraction falls by half a step and the limit grows by {@link #GROW} plus one;</li>
 *   <li>in between (the hysteresis band), or over with too few samples: hold.</li>
 * </ul>
 * Shedding turns off once the fraction is 0, the limit is {@link #HEADROOM} times the peak in flight,
 * and the window's P99 is no longer over, so stale slow slices cannot turn it straight back on.
 *
 * <p>The limit is the leading signal: requests pile up in flight before the P99 of completed ones moves.
 * {@link Priority#LOW} is shed with twice the fraction and may fill only half the limit;
 * {@link Priority#HIGH} is never shed at random, only by the limit. Every admitted request must be
 * {@link #release() released} once, on the shedder that admitted it; shed ones never are.
 */
public final class LoadShedder {

    static final double STEP = 0.1;
    static final double MAX_FRACTION = 0.9;
    static final double RECOVERED = 0.8;
    static final double TIGHTEN = 0.9;
    /** The most the limit is cut in one tick, however far over the latency is. */
    static final double MAX_CUT = 0.5;
    static final double GROW = 1.1;
    static final int MIN_LIMIT = 8;
    static final int HEADROOM = 2;

    /** The fraction counts in half steps so that stepping down and up again lands on the same values. */
    private static final int HALF_STEPS_PER_UNIT = (int) Math.round(2 / STEP);
    private static final int MAX_HALF_STEPS = (int) Math.round(MAX_FRACTION * HALF_STEPS_PER_UNIT);

    private final LatencyWindow window;
    private final DoubleSupplier random;
    private final long minSamples;
    private final long thresholdNanos;
    private final long recoveredNanos;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger peakInFlight = new AtomicInteger();
    private volatile boolean active;
    private volatile double fraction;
    private volatile int limit = Integer.MAX_VALUE;
    private int halfSteps;

    /**
     * @param random uniform in [0, 1), called on the request path from any thread
     */
    public LoadShedder(LoadSheddingConfig config, LatencyWindow window, DoubleSupplier random) {
        this.window = Objects.requireNonNull(window, "window");
        this.random = Objects.requireNonNull(random, "random");
        this.minSamples = config.minSamples();
        this.thresholdNanos = config.p99Above().toNanos();
        this.recoveredNanos = (long) (thresholdNanos * RECOVERED);
    }

    /** Draws from {@link ThreadLocalRandom}. */
    public LoadShedder(LoadSheddingConfig config, LatencyWindow window) {
        this(config, window, () -> ThreadLocalRandom.current().nextDouble());
    }

    /** Lock-free and allocation-free; {@code false}: answer 503 now, and do not {@link #release()}. */
    public boolean tryAdmit(Priority priority) {
        if (!active) {
            notePeak(inFlight.incrementAndGet());
            return true;
        }
        double shed = fraction;
        int cap = limit;
        if (priority == Priority.LOW) {
            shed = Math.min(1, 2 * shed);
            cap = Math.max(1, cap / 2);
        } else if (priority == Priority.HIGH) {
            shed = 0;
        }
        if (shed > 0 && random.getAsDouble() < shed) {
            return false;
        }
        for (int n = inFlight.get(); n < cap; n = inFlight.get()) {
            if (inFlight.compareAndSet(n, n + 1)) {
                notePeak(n + 1);
                return true;
            }
        }
        return false;
    }

    /** An admitted request has ended, however it ended. */
    public void release() {
        if (inFlight.getAndDecrement() <= 0) {
            inFlight.incrementAndGet();
            throw new IllegalStateException("release() without an admitted request");
        }
    }

    /** The controller step; see the class comment. Once per slice, after the window's rotation. */
    public synchronized void tick() {
        LatencySnapshot s = window.snapshot();
        int peak = peakInFlight.getAndSet(inFlight.get());
        boolean windowOver = s.count() >= minSamples && s.p99Nanos() > thresholdNanos;
        if (windowOver && s.recentP99Nanos() > thresholdNanos) {
            // While the limit turns requests away it is the one acting: raising the fraction too
            // would shed requests the upstream could serve.
            if (peak < limit) {
                halfSteps = Math.min(MAX_HALF_STEPS, halfSteps + 2);
                fraction = (double) halfSteps / HALF_STEPS_PER_UNIT;
            }
            double cut = Math.max(MAX_CUT, Math.min(TIGHTEN, (double) thresholdNanos / s.recentP99Nanos()));
            limit = Math.max(MIN_LIMIT, (int) (cut * Math.min(limit, peak)));
            active = true;
        } else if (active && s.recentP99Nanos() <= recoveredNanos) {
            halfSteps = Math.max(0, halfSteps - 1);
            fraction = (double) halfSteps / HALF_STEPS_PER_UNIT;
            limit = (int) Math.min(Integer.MAX_VALUE, (long) (limit * GROW) + 1);
            if (halfSteps == 0 && limit >= (long) HEADROOM * peak && !windowOver) {
                active = false;
                limit = Integer.MAX_VALUE;
            }
        }
    }

    /** Whether requests are being shed, at random or by the limit. */
    public boolean active() {
        return active;
    }

    /** The share of {@link Priority#NORMAL} requests shed at random, in [0, {@link #MAX_FRACTION}]. */
    public double shedFraction() {
        return fraction;
    }

    /** Requests allowed in flight; {@link Integer#MAX_VALUE} while shedding is off. */
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
