package io.edgegateway.loadtest.upstream;

import io.edgegateway.loadtest.DurationText;
import java.util.random.RandomGenerator;

/** Two populations of requests: a fast mode with probability {@code fastProbability}, else a slow mode. */
public record BimodalLatency(double fastProbability, long fastNanos, long slowNanos) implements LatencyShape {

    static final String FORM = "bimodal:FAST_PROBABILITY:FAST:SLOW, e.g. bimodal:0.8:10ms:200ms";

    public BimodalLatency {
        if (!(fastProbability >= 0 && fastProbability <= 1)) {
            throw new IllegalArgumentException("fast probability " + fastProbability + " must be in [0, 1]");
        }
        if (fastNanos < 0 || slowNanos < 0) {
            throw new IllegalArgumentException("delays must be >= 0");
        }
    }

    @Override
    public long nextDelayNanos(long elapsedNanos, RandomGenerator random) {
        return random.nextDouble() < fastProbability ? fastNanos : slowNanos;
    }

    @Override
    public String spec() {
        return "bimodal:" + fastProbability + ":" + DurationText.format(fastNanos) + ":"
                + DurationText.format(slowNanos);
    }

    @Override
    public String toString() {
        return spec();
    }
}
