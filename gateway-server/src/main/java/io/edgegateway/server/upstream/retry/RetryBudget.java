package io.edgegateway.server.upstream.retry;

import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.LongSupplier;

/**
 * Keeps a route's retries under {@code percent} of its requests over the last ten seconds, plus a
 * floor of {@code minRetriesPerSecond} so a quiet route can still retry (Linkerd's retry budget).
 * Without it, an upstream that fails for everyone would get each request several times over, just
 * when it can least take it.
 *
 * <p>Shared by every event loop without locks: ten one-second buckets, each counter a single long
 * stamped with its second in the high half and the count in the low half, so a bucket reused for a
 * new second is reset by the same compare-and-set that counts in it, and no count is lost.
 */
public final class RetryBudget {

    /** The floor when a route does not set one: three retries a second, thirty in the window. */
    public static final int DEFAULT_MIN_PER_SECOND = 3;

    private static final int BUCKETS = 10;
    private static final long SECOND_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final long COUNT_MASK = 0xFFFF_FFFFL;

    private final double ratio;
    private final long floor;
    private final LongSupplier nanoTime;
    private final long originNanos;
    private final AtomicLongArray requests = new AtomicLongArray(BUCKETS);
    private final AtomicLongArray retries = new AtomicLongArray(BUCKETS);

    /**
     * @param percent retries allowed per 100 requests in the window
     * @param minRetriesPerSecond retries allowed per second however few the requests
     */
    public RetryBudget(double percent, int minRetriesPerSecond, LongSupplier nanoTime) {
        if (!(percent >= 0) || Double.isInfinite(percent)) {
            throw new IllegalArgumentException("percent: " + percent + " (expected: >= 0)");
        }
        if (minRetriesPerSecond < 0) {
            throw new IllegalArgumentException("minRetriesPerSecond: " + minRetriesPerSecond + " (expected: >= 0)");
        }
        this.ratio = percent / 100;
        this.floor = (long) minRetriesPerSecond * BUCKETS;
        this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
        // Seconds count from here, so a stamp fits in 32 bits whatever the clock's origin.
        this.originNanos = nanoTime.getAsLong();
    }

    /** Counts a first attempt of the route; each one adds to what retries may spend. */
    public void onRequest() {
        long second = currentSecond();
        int index = (int) (second % BUCKETS);
        while (true) {
            long bucket = requests.get(index);
            if (requests.compareAndSet(index, bucket, incremented(bucket, second))) {
                return;
            }
        }
    }

    /** Takes one retry from the budget if it allows one more; a refused retry is not counted. */
    public boolean tryAcquire() {
        long second = currentSecond();
        int index = (int) (second % BUCKETS);
        double allowance = ratio * countInWindow(requests, second) + floor;
        while (true) {
            long bucket = retries.get(index);
            long spent = countInWindow(retries, second);
            if (spent >= allowance) {
                return false;
            }
            // Counting by compare-and-set on the current bucket: racing retries see each other.
            if (retries.compareAndSet(index, bucket, incremented(bucket, second))) {
                return true;
            }
        }
    }

    private long currentSecond() {
        return Math.max(0, nanoTime.getAsLong() - originNanos) / SECOND_NANOS;
    }

    private static long incremented(long bucket, long second) {
        long stamp = second & COUNT_MASK;
        if (bucket >>> 32 != stamp) {
            return stamp << 32 | 1;
        }
        // Saturates rather than spilling into the stamp; four billion a second is not a real route.
        return (bucket & COUNT_MASK) == COUNT_MASK ? bucket : bucket + 1;
    }

    /** The sum of the buckets stamped within the ten seconds up to {@code second}. */
    private static long countInWindow(AtomicLongArray counters, long second) {
        long stamp = second & COUNT_MASK;
        long sum = 0;
        for (int i = 0; i < BUCKETS; i++) {
            long bucket = counters.get(i);
            // Unsigned 32-bit age; a bucket just stamped by a thread with a later clock counts as now.
            long age = (stamp - (bucket >>> 32)) & COUNT_MASK;
            if (age < BUCKETS || age > COUNT_MASK - BUCKETS) {
                sum += bucket & COUNT_MASK;
            }
        }
        return sum;
    }
}
