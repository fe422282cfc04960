package io.edgegateway.loadtest.upstream;

import io.edgegateway.loadtest.DurationText;
import java.util.random.RandomGenerator;

/**
 * A steady base delay with rare stragglers: with probability {@code tailProbability} the delay is instead
 * uniform in [{@code tailMinNanos}, {@code tailMaxNanos}], the case that hedged requests exist for.
 */
public record HeavyTailLatency(long baseNanos, double tailProbability, long tailMinNanos, long tailMaxNanos)
        implements LatencyShape {

    static final String FORM = "heavy-tail:BASE:TAIL_PROBABILITY:TAIL_MIN-TAIL_MAX, e.g. heavy-tail:50ms:0.02:500ms-5s";

    public HeavyTailLatency {
        if (baseNanos < 0 || tailMinNanos < 0) {
            throw new IllegalArgumentException("delays must be >= 0");
        }
        if (!(tailProbability >= 0 && tailProbability <= 1)) {
            throw new IllegalArgumentException("tail probability " + tailProbability + " must be in [0, 1]");
        }
        if (tailMaxNanos < tailMinNanos) {
            throw new IllegalArgumentException("tail maximum " + DurationText.format(tailMaxNanos)
                    + " must be >= tail minimum " + DurationText.format(tailMinNanos));
        }
    }

    @Override
    public long nextDelayNanos(long elapsedNanos, RandomGenerator random) {
        if (random.nextDouble() >= tailProbability) {
            return baseNanos;
        }
        return tailMinNanos == tailMaxNanos ? tailMinNanos : random.nextLong(tailMinNanos, tailMaxNanos);
    }

    @Override
    public String spec() {
        return "heavy-tail:" + DurationText.format(baseNanos) + ":" + tailProbability + ":"
                + DurationText.format(tailMinNanos) + "-" + DurationText.format(tailMaxNanos);
    }

    @Override
    public String toString() {
        return spec();
    }
}
