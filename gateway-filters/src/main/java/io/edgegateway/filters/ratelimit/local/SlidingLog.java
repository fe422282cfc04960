package io.edgegateway.filters.ratelimit.local;

import io.edgegateway.filters.ratelimit.RateLimitDecision;

/**
 * One identity's allowed requests as (tick, count) pairs, oldest first, in a ring of two int
 * arrays: one entry per tick that had an allowed request within the log's span, so at most
 * min(requests, ticks) entries for the span, grown on demand and shrunk when mostly empty.
 *
 * <p>Two windows are counted over the one ring (see {@link LogWindows}): the whole span, from the
 * head, and the last window, from an inner head that only moves forward. Without a burst they are
 * the same window. Ticks are stored as int offsets from {@code base}, which moves to the oldest
 * entry when an offset would overflow.
 */
final class SlidingLog implements IdentityState {

    private static final int INITIAL_CAPACITY = 2;
    private static final int MIN_SHRINK_CAPACITY = 8;

    private long base;
    private int[] ticks = new int[INITIAL_CAPACITY];
    private int[] counts = new int[INITIAL_CAPACITY];
    /** Index of the oldest entry; -1 once evicted. */
    private int head;
    private int size;
    /** Sum of the counts: requests allowed in the span. */
    private int total;
    /** Entries between the head and the first one inside the last window. */
    private int innerSkip;
    /** Requests allowed in the last window. */
    private int innerTotal;
    /** Decided for since the stripe's CLOCK hand last passed. */
    private boolean used;

    /**
     * The tick a request at {@code nowTick} is counted at: a request earlier than the newest
     * counted tick is clamped to it, so lateness never frees capacity.
     */
    long countedTick(long nowTick) {
        return size == 0 ? nowTick : Math.max(nowTick, newest());
    }

    /**
     * Decides a request at {@code tick}, which must come from {@link #countedTick}, asked at
     * {@code nowMillis} (its reset is measured from then, or from the tick's start if it was clamped
     * to a later tick).
     */
    RateLimitDecision decide(long tick, long nowMillis, LogWindows w) {
        long from = Math.max(nowMillis, tick * w.resolutionMillis());
        expireUpTo(tick - w.spanTicks());
        advanceInner(tick - w.windowTicks());
        long freeAt = Math.max(
                total >= w.spanLimit() ? oldest() + w.spanTicks() : tick,
                innerTotal >= w.windowLimit() ? innerOldest() + w.windowTicks() : tick);
        if (freeAt > tick) {
            return RateLimitDecision.deniedMillis(w.requests(), freeAt * w.resolutionMillis() - from);
        }
        record(tick, w.maxEntries());
        long remaining = Math.min(w.spanLimit() - total, w.windowLimit() - innerTotal);
        return RateLimitDecision.allowedMillis(w.requests(), remaining,
                (innerOldest() + w.windowTicks()) * w.resolutionMillis() - from);
    }

    /** Whether every counted request has left the span by {@code nowTick}, and more than a tick ago. */
    boolean isIdle(long nowTick, long spanTicks) {
        return size == 0 || newest() + spanTicks < nowTick;
    }

    int capacity() {
        return ticks.length;
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
        return base + ticks[head];
    }

    private long innerOldest() {
        return base + ticks[index(innerSkip)];
    }

    private long newest() {
        return base + ticks[index(size - 1)];
    }

    private int index(int position) {
        int i = head + position;
        return i >= ticks.length ? i - ticks.length : i;
    }

    private void expireUpTo(long cutoff) {
        while (size > 0 && oldest() <= cutoff) {
            total -= counts[head];
            if (innerSkip > 0) {
                innerSkip--;
            } else {
                innerTotal -= counts[head];
            }
            head = index(1);
            size--;
        }
        if (size == 0) {
            head = 0;
        }
        if (ticks.length >= MIN_SHRINK_CAPACITY && size < ticks.length / 4) {
            resize(ticks.length / 2);
        }
    }

    private void advanceInner(long cutoff) {
        while (innerSkip < size && base + ticks[index(innerSkip)] <= cutoff) {
            innerTotal -= counts[index(innerSkip)];
            innerSkip++;
        }
    }

    private void record(long tick, int maxEntries) {
        total++;
        innerTotal++;
        if (size > 0 && newest() == tick) {
            counts[index(size - 1)]++;
            return;
        }
        if (size == ticks.length) {
            int grown = Math.min(ticks.length * 2, maxEntries);
            if (grown <= size) {
                throw new IllegalStateException("sliding log full: " + size + " entries (max " + maxEntries + ")");
            }
            resize(grown);
        }
        if (size == 0) {
            base = tick;
        } else if (tick - base > Integer.MAX_VALUE) {
            rebase(oldest());
        }
        int tail = index(size);
        ticks[tail] = (int) (tick - base);
        counts[tail] = 1;
        size++;
    }

    private void rebase(long newBase) {
        int shift = (int) (newBase - base);
        for (int i = 0; i < size; i++) {
            ticks[index(i)] -= shift;
        }
        base = newBase;
    }

    private void resize(int capacity) {
        int[] newTicks = new int[capacity];
        int[] newCounts = new int[capacity];
        for (int i = 0; i < size; i++) {
            int from = index(i);
            newTicks[i] = ticks[from];
            newCounts[i] = counts[from];
        }
        ticks = newTicks;
        counts = newCounts;
        head = 0;
    }
}
