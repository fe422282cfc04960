package io.edgegateway.filters.ratelimit.local;

import io.edgegateway.filters.ratelimit.RateLimitDecision;

/**
 * One identity's counts in the current fixed window and the one before: three ints, 24 bytes.
 * Window indexes are {@code floor(second / T)} truncated to int and compared by int difference,
 * which stays right across the wrap-around.
 */
final class SlidingWindowCounter implements IdentityState {

    private int window;
    private int previous;
    /** Requests counted in {@code window}; -1 once evicted. */
    private int current;

    SlidingWindowCounter(long nowSeconds, int windowSeconds) {
        this.window = (int) Math.floorDiv(nowSeconds, windowSeconds);
    }

    RateLimitDecision decide(long nowSeconds, int limit, int windowSeconds) {
        long t = windowSeconds;
        int index = (int) Math.floorDiv(nowSeconds, t);
        long elapsed = Math.floorMod(nowSeconds, t);
        int ahead = index - window;
        if (ahead < 0) {
            // Late: counted in the current window and weighed as at its first second, the
            // heaviest weight, so lateness never frees capacity.
            elapsed = 0;
        } else if (ahead > 0) {
            previous = ahead == 1 ? current : 0;
            current = 0;
            window = index;
        }
        // Everything is scaled by T to stay in integers: the previous window covers T-1-elapsed
        // of the T seconds s-T+1..s, and the current one the rest.
        long capacity = limit * t;
        long used = previous * (t - 1 - elapsed) + current * t;
        if (used + t > capacity) {
            return RateLimitDecision.denied(limit, secondsUntilAllowed(limit, t, elapsed));
        }
        current++;
        return RateLimitDecision.allowed(limit, (capacity - used - t) / t, t - elapsed);
    }

    /** Whether the state now weighs nothing, as a new one would. */
    boolean isIdle(long nowSeconds, int windowSeconds) {
        int ahead = (int) Math.floorDiv(nowSeconds, windowSeconds) - window;
        return ahead >= 2 || (ahead == 1 && current == 0);
    }

    private long secondsUntilAllowed(int limit, long t, long elapsed) {
        if (current < limit) {
            // The previous window's weight falls by one second's share each second.
            long at = t - 1 - (limit - current - 1) * t / previous;
            return at - elapsed;
        }
        long at = Math.max(0, t - 1 - (limit - 1) * t / current);
        return t - elapsed + at;
    }

    @Override
    public boolean isEvicted() {
        return current < 0;
    }

    @Override
    public void markEvicted() {
        current = -1;
    }
}
