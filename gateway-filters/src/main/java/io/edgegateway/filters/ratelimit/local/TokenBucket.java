package io.edgegateway.filters.ratelimit.local;

import io.edgegateway.filters.ratelimit.RateLimitDecision;

/**
 * One identity's bucket: a long split over two ints and an int, in a {@link PackedIdentityTable},
 * 12 bytes. Tokens are kept exactly, in units of 1/T of a token: a request costs T units, a second
 * refills N units, a full bucket holds C×T for a capacity of C tokens (N, or floor(burst × N)). The last refill second is truncated to int and compared
 * by int difference.
 */
final class TokenBucket implements PackedState {

    /** Tokens × T, its high and low 32 bits. */
    private static final int UNITS_HIGH = 0;
    private static final int UNITS_LOW = 1;
    private static final int LAST_SECOND = 2;

    private final int limit;
    private final int window;
    /** C×T: the units of a full bucket. */
    private final long full;
    /** Seconds from empty to full: ceil(C×T / N). */
    private final long fillSeconds;

    TokenBucket(int limit, int window) {
        this(limit, limit, window);
    }

    TokenBucket(int limit, int capacity, int window) {
        this.limit = limit;
        this.window = window;
        this.full = (long) capacity * window;
        this.fillSeconds = (full + limit - 1) / limit;
    }

    @Override
    public void init(int[] state, int offset, long nowSeconds) {
        setUnits(state, offset, full);
        state[offset + LAST_SECOND] = (int) nowSeconds;
    }

    @Override
    public RateLimitDecision decide(int[] state, int offset, long nowSeconds) {
        long units = refill(state, offset, nowSeconds);
        if (units < window) {
            return RateLimitDecision.denied(limit, secondsUntilNextToken(units));
        }
        units -= window;
        setUnits(state, offset, units);
        return RateLimitDecision.allowed(limit, units / window, secondsUntilNextToken(units));
    }

    /** Whether the bucket is full again by {@code nowSeconds}, as a new one would be. */
    @Override
    public boolean isIdle(int[] state, int offset, long nowSeconds) {
        int elapsed = (int) nowSeconds - state[offset + LAST_SECOND];
        return elapsed >= fillSeconds || units(state, offset) + Math.max(0, elapsed) * (long) limit >= full;
    }

    /**
     * The units after refilling up to {@code nowSeconds}. A timestamp before the last refill is
     * treated as that second: lateness never adds tokens.
     */
    private long refill(int[] state, int offset, long nowSeconds) {
        long units = units(state, offset);
        int elapsed = (int) nowSeconds - state[offset + LAST_SECOND];
        if (elapsed <= 0) {
            return units;
        }
        units = elapsed >= fillSeconds ? full : Math.min(full, units + elapsed * (long) limit);
        setUnits(state, offset, units);
        state[offset + LAST_SECOND] = (int) nowSeconds;
        return units;
    }

    /** Seconds until the units reach the next whole token (0 < deficit <= T units). */
    private long secondsUntilNextToken(long units) {
        long deficit = window - units % window;
        return (deficit + limit - 1) / limit;
    }

    private static long units(int[] state, int offset) {
        return (long) state[offset + UNITS_HIGH] << 32 | state[offset + UNITS_LOW] & 0xFFFF_FFFFL;
    }

    private static void setUnits(int[] state, int offset, long units) {
        state[offset + UNITS_HIGH] = (int) (units >>> 32);
        state[offset + UNITS_LOW] = (int) units;
    }
}
