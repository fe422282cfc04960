package io.edgegateway.loadtest.upstream;

import java.util.SplittableRandom;
import java.util.function.LongSupplier;
import java.util.random.RandomGenerator;

/**
 * Draws delays from one upstream's shape with its seeded random and its clock; shared by all its event
 * loops. With a {@link WorkerPool} the shape's delay is a service time and the pool adds the queueing.
 */
final class LatencySampler {

    private final LatencyShape shape;
    private final WorkerPool workers;
    private final RandomGenerator random;
    private final LongSupplier nanoClock;
    private final long startNanos;

    /** @param workers null for no queueing: every request gets its shape's delay, however many there are */
    LatencySampler(LatencyShape shape, WorkerPool workers, Long seed, LongSupplier nanoClock) {
        this.shape = shape;
        this.workers = workers;
        this.random = seed == null ? new SplittableRandom() : new SplittableRandom(seed);
        this.nanoClock = nanoClock;
        this.startNanos = nanoClock.getAsLong();
    }

    LatencyShape shape() {
        return shape;
    }

    /** Synchronized because the random and the pool are not thread-safe and the order of draws is what a seed reproduces. */
    synchronized long nextDelayNanos() {
        long now = nanoClock.getAsLong();
        long delay = Math.max(0, shape.nextDelayNanos(now - startNanos, random));
        return workers == null ? delay : workers.delayNanos(now, delay);
    }
}
