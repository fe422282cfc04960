package io.edgegateway.loadtest.upstream;

import java.util.SplittableRandom;
import java.util.function.LongSupplier;
import java.util.random.RandomGenerator;

/** Draws delays from one upstream's shape with its seeded random and its clock; shared by all its event loops. */
final class LatencySampler {

    private final LatencyShape shape;
    private final RandomGenerator random;
    private final LongSupplier nanoClock;
    private final long startNanos;

    LatencySampler(LatencyShape shape, Long seed, LongSupplier nanoClock) {
        this.shape = shape;
        this.random = seed == null ? new SplittableRandom() : new SplittableRandom(seed);
        this.nanoClock = nanoClock;
        this.startNanos = nanoClock.getAsLong();
    }

    LatencyShape shape() {
        return shape;
    }

    /** Synchronized because the random is not thread-safe and the order of draws is what a seed reproduces. */
    synchronized long nextDelayNanos() {
        return Math.max(0, shape.nextDelayNanos(nanoClock.getAsLong() - startNanos, random));
    }
}
