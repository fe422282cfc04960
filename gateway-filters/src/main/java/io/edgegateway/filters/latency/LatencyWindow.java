package io.edgegateway.filters.latency;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.SingleWriterRecorder;

/**
 * A route's live latency over the last {@code window}, as a ring of {@code slices} histograms that
 * {@link #rotate()} advances once per slice; {@link #snapshot()} is the result of the latest rotation.
 *
 * <p>Writers share nothing: each thread records into its own {@link SingleWriterRecorder} (wait-free),
 * created on its first {@link #record} and kept for the window's life, which suits event-loop threads
 * that live as long as the process. Only the rotating thread touches the ring.
 */
public final class LatencyWindow {

    /** Values are clamped into this range; two significant digits: within 1%, or half a microsecond under ~100 µs. */
    static final long LOWEST_NANOS = TimeUnit.MICROSECONDS.toNanos(1);
    static final long HIGHEST_NANOS = TimeUnit.HOURS.toNanos(1);
    private static final int SIGNIFICANT_DIGITS = 2;

    private final Duration sliceLength;
    private final double[] quantiles;
    private final List<SingleWriterRecorder> recorders = new CopyOnWriteArrayList<>();
    private final ThreadLocal<SingleWriterRecorder> recorder = ThreadLocal.withInitial(this::newRecorder);
    private final Histogram[] ring;
    private final Histogram merged = newHistogram();
    /** Handed back to the next recorder sampled, so sampling allocates nothing after the first rotation. */
    private Histogram interval;
    private int newest;
    private volatile LatencySnapshot snapshot;

    /**
     * @param extraQuantiles computed besides 0.5, 0.9, 0.95 and 0.99, e.g. a hedge's {@code after = p97}
     */
    public LatencyWindow(Duration window, int slices, double... extraQuantiles) {
        if (slices < 1) {
            throw new IllegalArgumentException("slices: " + slices + " (expected: > 0)");
        }
        if (window.toNanos() < slices) {
            throw new IllegalArgumentException("window: " + window + " (expected: >= " + slices + "ns)");
        }
        this.sliceLength = window.dividedBy(slices);
        this.quantiles = LatencySnapshot.quantiles(extraQuantiles);
        this.ring = new Histogram[slices];
        for (int i = 0; i < slices; i++) {
            ring[i] = newHistogram();
        }
        this.snapshot = LatencySnapshot.empty(quantiles);
    }

    /** How often {@link #rotate()} is to be called. */
    public Duration sliceLength() {
        return sliceLength;
    }

    /** One request's latency; from any thread, without locks. */
    public void record(long nanos) {
        recorder.get().recordValue(Math.min(Math.max(nanos, LOWEST_NANOS), HIGHEST_NANOS));
    }

    /**
     * Closes the newest slice with what every thread recorded since the last call, drops the oldest,
     * and publishes a new {@link #snapshot()}. Called once per {@link #sliceLength()}, by one thread
     * at a time (synchronized only so that it may be any thread).
     */
    public synchronized void rotate() {
        newest = (newest + 1) % ring.length;
        Histogram slice = ring[newest];
        slice.reset();
        for (SingleWriterRecorder r : recorders) {
            // Any histogram of the same shape may be recycled, not only one this recorder returned.
            interval = interval == null ? r.getIntervalHistogram() : r.getIntervalHistogram(interval, false);
            slice.add(interval);
        }
        merged.reset();
        for (Histogram h : ring) {
            merged.add(h);
        }
        snapshot = LatencySnapshot.of(quantiles, merged, slice);
    }

    /** The latest rotation's percentiles: a volatile read. Empty until the first {@link #rotate()}. */
    public LatencySnapshot snapshot() {
        return snapshot;
    }

    private SingleWriterRecorder newRecorder() {
        SingleWriterRecorder r = new SingleWriterRecorder(LOWEST_NANOS, HIGHEST_NANOS, SIGNIFICANT_DIGITS);
        recorders.add(r);
        return r;
    }

    private static Histogram newHistogram() {
        return new Histogram(LOWEST_NANOS, HIGHEST_NANOS, SIGNIFICANT_DIGITS);
    }
}
