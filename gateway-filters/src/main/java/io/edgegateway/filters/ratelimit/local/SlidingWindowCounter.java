package io.edgegateway.filters.ratelimit.local;

import io.edgegateway.filters.ratelimit.RateLimitDecision;

/**
 * One identity's counts in the current fixed window and the one before: three ints in a
 * {@link PackedIdentityTable}, 12 bytes. Window indexes are {@code floor(second / T)} truncated to
 * int and compared by int difference, which stays right across the wrap-around.
 */
final class SlidingWindowCounter implements PackedState {

    private static final int WINDOW = 0;
    private static final int PREVIOUS = 1;
    /** Requests counted in the window at {@link #WINDOW}. */
    private static final int CURRENT = 2;

    private final int limit;
    private final int windowSeconds;

    SlidingWindowCounter(int limit, int windowSeconds) {
        this.limit = limit;
        this.windowSeconds = windowSeconds;
    }

    @Override
    public void init(int[] state, int offset, long nowSeconds) {
        state[offset + WINDOW] = (int) Math.floorDiv(nowSeconds, windowSeconds);
        state[offset + PREVIOUS] = 0;
        state[offset + CURRENT] = 0;
    }

    @Override
    public RateLimitDecision decide(int[] state, int offset, long nowSeconds) {
        long t = windowSeconds;
        int index = (int) Math.floorDiv(nowSeconds, t);
        long elapsed = Math.floorMod(nowSeconds, t);
        int ahead = index - state[offset + WINDOW];
        if (ahead < 0) {
            // Late: counted in the current window and weighed as at its first second, the
            // heaviest weight, so lateness never frees capacity.
            elapsed = 0;
        } else if (ahead > 0) {
            state[offset + PREVIOUS] = ahead == 1 ? state[offset + CURRENT] : 0;
            state[offset + CURRENT] = 0;
            state[offset + WINDOW] = index;
        }
        int previous = state[offset + PREVIOUS];
        int current = state[offset + CURRENT];
        // Everything is scaled by T to stay in integers: the previous window covers T-1-elapsed
        // of the T seconds s-T+1..s, and the current one the rest.
        long capacity = limit * t;
        long used = previous * (t - 1 - elapsed) + current * t;
        if (used + t > capacity) {
            return RateLimitDecision.denied(limit, secondsUntilAllowed(previous, current, t, elapsed));
        }
        state[offset + CURRENT] = current + 1;
        return RateLimitDecision.allowed(limit, (capacity - used - t) / t, t - elapsed);
    }

    /** Whether the state now weighs nothing, as a new one would. */
    @Override
    public boolean isIdle(int[] state, int offset, long nowSeconds) {
        int ahead = (int) Math.floorDiv(nowSeconds, windowSeconds) - state[offset + WINDOW];
        return ahead >= 2 || (ahead == 1 && state[offset + CURRENT] == 0);
    }

    private long secondsUntilAllowed(int previous, int current, long t, long elapsed) {
        if (current < limit) {
            // The previous window's weight falls by one second's share each second.
            long at = t - 1 - (limit - current - 1) * t / previous;
            return at - elapsed;
        }
        long at = Math.max(0, t - 1 - (limit - 1) * t / current);
        return t - elapsed + at;
    }
}
