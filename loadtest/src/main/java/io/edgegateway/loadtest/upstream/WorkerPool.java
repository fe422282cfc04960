package io.edgegateway.loadtest.upstream;

import java.util.PriorityQueue;

/**
 * A fixed number of workers with one FIFO queue in front, as a thread-pool server has: a request
 * waits for the earliest worker to free up, then takes its service time, so the delay it sees grows
 * with the queue. What a load shedder meets in practice; the plain shapes delay every request alike,
 * however many there are.
 *
 * <p>The delay is decided when the request arrives (requests come in time order, so FIFO order is
 * arrival order): no thread or timer per worker. Not thread-safe; {@link LatencySampler} serialises.
 */
final class WorkerPool {

    private final PriorityQueue<Long> freeAtNanos = new PriorityQueue<>();

    WorkerPool(int workers) {
        if (workers < 1) {
            throw new IllegalArgumentException("workers: " + workers + " (expected: > 0)");
        }
        for (int i = 0; i < workers; i++) {
            freeAtNanos.add(Long.MIN_VALUE);
        }
    }

    /** The delay of a request arriving at {@code nowNanos} that needs {@code serviceNanos} of a worker. */
    long delayNanos(long nowNanos, long serviceNanos) {
        long start = Math.max(nowNanos, freeAtNanos.poll());
        long done = start + serviceNanos;
        freeAtNanos.add(done);
        return done - nowNanos;
    }
}
