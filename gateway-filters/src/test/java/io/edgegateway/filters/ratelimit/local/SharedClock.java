package io.edgegateway.filters.ratelimit.local;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A seconds clock that test threads advance, and the lowest timestamp any of them may still send,
 * so that eviction can run concurrently with decisions without going past a request in flight.
 *
 * <p>A thread marks its slot "reading" before it reads the clock, then publishes the lowest
 * timestamp it will send, then clears the slot once decided. {@link #lowestInFlight} reads the
 * clock before scanning the slots: a thread whose slot it sees clear reads the clock afterwards,
 * so it cannot send below the clock it read minus the jitter.
 */
final class SharedClock {

    private static final long READING = Long.MIN_VALUE;
    private static final long IDLE = Long.MAX_VALUE;

    private final AtomicLong seconds;
    private final int jitter;
    private final AtomicLongArray floors;

    SharedClock(long start, int jitter, int threads) {
        this.seconds = new AtomicLong(start);
        this.jitter = jitter;
        this.floors = new AtomicLongArray(threads);
        for (int i = 0; i < threads; i++) {
            floors.set(i, IDLE);
        }
    }

    void tick() {
        seconds.incrementAndGet();
    }

    /** Starts a request of {@code thread}; its timestamp must be at most {@code jitter} below the result. */
    long begin(int thread) {
        floors.set(thread, READING);
        long now = seconds.get();
        floors.set(thread, now - jitter);
        return now;
    }

    void end(int thread) {
        floors.set(thread, IDLE);
    }

    /** A second no request still to be decided is below, or {@link Long#MIN_VALUE} when unknown. */
    long lowestInFlight() {
        long lowest = seconds.get() - jitter;
        for (int i = 0; i < floors.length(); i++) {
            long floor = floors.get(i);
            if (floor == READING) {
                return Long.MIN_VALUE;
            }
            lowest = Math.min(lowest, floor);
        }
        return lowest;
    }
}
