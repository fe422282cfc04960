package io.edgegateway.filters.ratelimit.local;

import io.edgegateway.filters.ratelimit.RateLimitDecision;

/**
 * One identity's allowed requests in the window as (second, count) pairs, oldest first, in a ring
 * of two int arrays: one entry per second that had an allowed request, so at most min(N, T)
 * entries, grown on demand and shrunk when mostly empty.
 *
 * <p>Seconds are stored as int offsets from {@code base}, which moves to the oldest entry when
 * an offset would overflow.
 */
final class SlidingLog implements IdentityState {

    private static final int INITIAL_CAPACITY = 2;
    private static final int MIN_SHRINK_CAPACITY = 8;

    private long base;
    private int[] seconds = new int[INITIAL_CAPACITY];
    private int[] counts = new int[INITIAL_CAPACITY];
    /** Index of the oldest entry; -1 once evicted. */
    private int head;
    private int size;
    /** Sum of the counts: requests allowed in the window. */
    private int total;
    /** Decided for since the stripe's CLOCK hand last passed. */
    private boolean used;

    /**
     * The second a request at {@code nowSeconds} is counted at: a request earlier than the newest
     * counted second is clamped to it, so lateness never frees capacity.
     */
    long countedSecond(long nowSeconds) {
        return size == 0 ? nowSeconds : Math.max(nowSeconds, newest());
    }

    /** Decides a request at {@code second}, which must come from {@link #countedSecond}. */
    RateLimitDecision decide(long second, int limit, int window, int maxEntries) {
        expireUpTo(second - window);
        if (total >= limit) {
            return RateLimitDecision.denied(limit, oldest() + window - second);
        }
        record(second, maxEntries);
        return RateLimitDecision.allowed(limit, limit - total, oldest() + window - second);
    }

    /** Whether every counted request has left the window by {@code nowSeconds} and more than a second ago. */
    boolean isIdle(long nowSeconds, int window) {
        return size == 0 || newest() + window < nowSeconds;
    }

    int capacity() {
        return seconds.length;
    }

    int total() {
        return total;
    }

    @Override
    public boolean isEvicted() {
        return head < 0;
    }

    @Override
    public void markEvicted() {
        head = -1;
    }

    @Override
    public void markUsed() {
        used = true;
    }

    @Override
    public boolean clearUsed() {
        boolean was = used;
        used = false;
        return was;
    }

    private long oldest() {
        return base + seconds[head];
    }

    private long newest() {
        return base + seconds[index(size - 1)];
    }

    private int index(int position) {
        int i = head + position;
        return i >= seconds.length ? i - seconds.length : i;
    }

    private void expireUpTo(long cutoff) {
        while (size > 0 && oldest() <= cutoff) {
            total -= counts[head];
            head = index(1);
            size--;
        }
        if (size == 0) {
            head = 0;
        }
        if (seconds.length >= MIN_SHRINK_CAPACITY && size < seconds.length / 4) {
            resize(seconds.length / 2);
        }
    }

    private void record(long second, int maxEntries) {
        total++;
        if (size > 0 && newest() == second) {
            counts[index(size - 1)]++;
            return;
        }
        if (size == seconds.length) {
            int grown = Math.min(seconds.length * 2, maxEntries);
            if (grown <= size) {
                throw new IllegalStateException("sliding log full: " + size + " entries (max " + maxEntries + ")");
            }
            resize(grown);
        }
        if (size == 0) {
            base = second;
        } else if (second - base > Integer.MAX_VALUE) {
            rebase(oldest());
        }
        int tail = index(size);
        seconds[tail] = (int) (second - base);
        counts[tail] = 1;
        size++;
    }

    private void rebase(long newBase) {
        int shift = (int) (newBase - base);
        for (int i = 0; i < size; i++) {
            seconds[index(i)] -= shift;
        }
        base = newBase;
    }

    private void resize(int capacity) {
        int[] newSeconds = new int[capacity];
        int[] newCounts = new int[capacity];
        for (int i = 0; i < size; i++) {
            int from = index(i);
            newSeconds[i] = seconds[from];
            newCounts[i] = counts[from];
        }
        seconds = newSeconds;
        counts = newCounts;
        head = 0;
    }
}
