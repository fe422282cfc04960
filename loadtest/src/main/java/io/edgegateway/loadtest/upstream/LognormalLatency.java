package io.edgegateway.loadtest.upstream;

import io.edgegateway.loadtest.DurationText;
import java.util.random.RandomGenerator;

/**
 * A log-normal delay, the usual shape of a real service's latency: {@code median * exp(sigma * Z)} with Z
 * standard normal, so half the delays are below the median and a larger sigma stretches the right tail.
 */
public record LognormalLatency(long medianNanos, double sigma) implements LatencyShape {

    static final String FORM = "lognormal:MEDIAN:SIGMA, e.g. lognormal:50ms:0.5";

    public LognormalLatency {
        if (medianNanos < 0) {
            throw new IllegalArgumentException("median " + medianNanos + "ns must be >= 0");
        }
        if (!(sigma >= 0) || Double.isInfinite(sigma)) {
            throw new IllegalArgumentException("sigma " + sigma + " must be a finite number >= 0");
        }
    }

    @Override
    public long nextDelayNanos(long elapsedNanos, RandomGenerator random) {
        return Math.round(medianNanos * Math.exp(sigma * random.nextGaussian()));
    }

    @Override
    public String spec() {
        return "lognormal:" + DurationText.format(medianNanos) + ":" + sigma;
    }

    @Override
    public String toString() {
        return spec();
    }
}
