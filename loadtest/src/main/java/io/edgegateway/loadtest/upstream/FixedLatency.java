package io.edgegateway.loadtest.upstream;

import io.edgegateway.loadtest.DurationText;
import java.util.random.RandomGenerator;

/** The same delay for every request; {@code fixed:0ms} (or {@code none}) answers at once. */
public record FixedLatency(long delayNanos) implements LatencyShape {

    static final String FORM = "fixed:DELAY, e.g. fixed:1ms";

    public FixedLatency {
        if (delayNanos < 0) {
            throw new IllegalArgumentException("delay " + delayNanos + "ns must be >= 0");
        }
    }

    @Override
    public long nextDelayNanos(long elapsedNanos, RandomGenerator random) {
        return delayNanos;
    }

    @Override
    public String spec() {
        return delayNanos == 0 ? "none" : "fixed:" + DurationText.format(delayNanos);
    }

    @Override
    public String toString() {
        return spec();
    }
}
