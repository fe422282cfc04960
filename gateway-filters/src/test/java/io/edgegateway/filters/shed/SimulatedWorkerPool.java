package io.edgegateway.filters.shed;

import java.util.PriorityQueue;
import java.util.Random;

/**
 * An upstream of {@code workers} that serve one request at a time, with one FIFO queue in front:
 * a request starts when the earliest worker frees up, and takes a service time drawn then.
 */
final class SimulatedWorkerPool {

    /** A service time drawn when a request starts, which may depend on when (a degrading upstream). */
    @FunctionalInterface
    interface ServiceTime {
        long nanos(long startNanos, Random random);
    }

    private final PriorityQueue<Long> freeAt = new PriorityQueue<>();
    private final ServiceTime service;
    private final Random random;

    SimulatedWorkerPool(int workers, ServiceTime service, long seed) {
        for (int i = 0; i < workers; i++) {
            freeAt.add(0L);
        }
        this.service = service;
        this.random = new Random(seed);
    }

    /** When a request handed over at {@code nowNanos} completes; requests must come in time order. */
    long completionOf(long nowNanos) {
        long start = Math.max(nowNanos, freeAt.poll());
        long done = start + service.nanos(start, random);
        freeAt.add(done);
        return done;
    }
}
