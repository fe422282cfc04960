package io.edgegateway.loadtest.upstream;

import io.edgegateway.loadtest.DurationText;
import java.util.random.RandomGenerator;

/**
 * An upstream that slows down: the delay grows linearly from {@code initialNanos} at start to
 * {@code initialNanos * factor} after {@code rampNanos}, then holds; what a load shedder must notice.
 */
public record DegradingLatency(long initialNanos, double factor, long rampNanos) implements LatencyShape {

    static final String FORM = "degrading:INITIAL:FACTORx[:RAMP], e.g. degrading:50ms:3x or degrading:50ms:3x:30s";

    /** The ramp when the spec names none: one minute from the upstream's start. */
    static final long DEFAULT_RAMP_NANOS = 60_000_000_000L;

    public DegradingLatency {
        if (initialNanos < 0) {
            throw new IllegalArgumentException("initial delay " + initialNanos + "ns must be >= 0");
        }
        if (!(factor >= 1) || Double.isInfinite(factor)) {
            throw new IllegalArgumentException("growth factor " + factor + " must be a finite number >= 1");
        }
        if (rampNanos <= 0) {
            throw new IllegalArgumentException("ramp " + DurationText.format(rampNanos) + " must be > 0");
        }
    }

    @Override
    public long nextDelayNanos(long elapsedNanos, RandomGenerator random) {
        double progress = Math.min(1.0, Math.max(0.0, (double) elapsedNanos / rampNanos));
        return Math.round(initialNanos * (1.0 + (factor - 1.0) * progress));
    }

    @Override
    public String spec() {
        String growth = factor == Math.rint(factor) ? Long.toString((long) factor) : Double.toString(factor);
        return "degrading:" + DurationText.format(initialNanos) + ":" + growth + "x:" + DurationText.format(rampNanos);
    }

    @Override
    public String toString() {
        return spec();
    }
}
