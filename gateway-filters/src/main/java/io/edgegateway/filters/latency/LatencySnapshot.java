package io.edgegateway.filters.latency;

import java.util.Arrays;
import java.util.stream.DoubleStream;
import org.HdrHistogram.AbstractHistogram;

/**
 * A route's latency over its window as of one {@link LatencyWindow#rotate()}: percentiles
 * precomputed once per slice, so reading them on the request path costs nothing.
 */
public final class LatencySnapshot {

    /** Always computed, in this order: the ones the metrics export and the shedder reads. */
    static final double[] STANDARD_QUANTILES = {0.5, 0.9, 0.95, 0.99};
    private static final int P99 = 3;

    private final double[] quantiles;
    private final long[] nanos;
    private final long count;
    private final long recentCount;
    private final long recentP99Nanos;

    private LatencySnapshot(double[] quantiles, long[] nanos, long count, long recentCount, long recentP99Nanos) {
        this.quantiles = quantiles;
        this.nanos = nanos;
        this.count = count;
        this.recentCount = recentCount;
        this.recentP99Nanos = recentP99Nanos;
    }

    /** The standard quantiles followed by the extra ones not already among them, each in (0, 1). */
    static double[] quantiles(double... extra) {
        for (double q : extra) {
            if (!(q > 0 && q < 1)) {
                throw new IllegalArgumentException("quantile: " + q + " (expected: > 0 and < 1)");
            }
        }
        return DoubleStream.concat(Arrays.stream(STANDARD_QUANTILES), Arrays.stream(extra)).distinct().toArray();
    }

    static LatencySnapshot empty(double[] quantiles) {
        return new LatencySnapshot(quantiles, new long[quantiles.length], 0, 0, 0);
    }

    static LatencySnapshot of(double[] quantiles, AbstractHistogram window, AbstractHistogram recent) {
        long[] nanos = new long[quantiles.length];
        for (int i = 0; i < quantiles.length; i++) {
            nanos[i] = window.getValueAtPercentile(quantiles[i] * 100);
        }
        return new LatencySnapshot(quantiles, nanos, window.getTotalCount(),
                recent.getTotalCount(), recent.getValueAtPercentile(99));
    }

    /** Requests recorded over the whole window. */
    public long count() {
        return count;
    }

    /** The P99 over the whole window; 0 when it is empty. */
    public long p99Nanos() {
        return nanos[P99];
    }

    /**
     * A quantile over the whole window: 0.5, 0.9, 0.95, 0.99 or one of the window's extra quantiles;
     * 0 when the window is empty.
     *
     * @throws IllegalArgumentException for a quantile the window was not asked to compute
     */
    public long quantileNanos(double quantile) {
        for (int i = 0; i < quantiles.length; i++) {
            if (quantiles[i] == quantile) {
                return nanos[i];
            }
        }
        throw new IllegalArgumentException(
                "quantile: " + quantile + " (expected: one of " + Arrays.toString(quantiles) + ")");
    }

    /** Requests recorded in the newest slice alone. */
    public long recentCount() {
        return recentCount;
    }

    /** The P99 of the newest slice alone: a noisier signal than the window's, but one slice behind instead of a window. */
    public long recentP99Nanos() {
        return recentP99Nanos;
    }

    @Override
    public String toString() {
        return "LatencySnapshot{count=" + count + ", quantiles=" + Arrays.toString(quantiles)
                + ", nanos=" + Arrays.toString(nanos) + ", recentCount=" + recentCount
                + ", recentP99Nanos=" + recentP99Nanos + '}';
    }
}
