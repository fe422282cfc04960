package io.edgegateway.filters.ratelimit.local;

import io.edgegateway.filters.ratelimit.RateLimitDecision;

/**
 * One identity's bucket: a long and an int, 24 bytes. Tokens are kept exactly, in units of 1/T of
 * a token: a request costs T units, a second refills N units, a full bucket holds N×T.
 * The last refill second is truncated to int and compared by int difference.
 */
final class TokenBucket implements IdentityState {

    /** Tokens × T; -1 once evicted. */
    private long units;
    private int lastSecond;

    TokenBucket(long nowSeconds, int limit, int window) {
        this.units = (long) limit * window;
        this.lastSecond = (int) nowSeconds;
    }

    RateLimitDecision decide(long nowSeconds, int limit, int window) {
        refill(nowSeconds, limit, window);
        if (units < window) {
            return RateLimitDecision.denied(limit, secondsUntilNextToken(limit, window));
        }
        units -= window;
        return RateLimitDecision.allowed(limit, units / window, secondsUntilNextToken(limit, window));
    }

    /** Whether the bucket is full again by {@code nowSeconds}, as a new one would be. */
    boolean isIdle(long nowSeconds, int limit, int window) {
        int elapsed = (int) nowSeconds - lastSecond;
        long full = (long) limit * window;
        return elapsed >= window || units + Math.max(0, elapsed) * (long) limit >= full;
    }

    /** A timestamp before the last refill is treated as that second: lateness never adds tokens. */
    private void refill(long nowSeconds, int limit, int window) {
        int elapsed = (int) nowSeconds - lastSecond;
        if (elapsed <= 0) {
            return;
        }
        long full = (long) limit * window;
        units = elapsed >= window ? full : Math.min(full, units + elapsed * (long) limit);
        lastSecond = (int) nowSeconds;
    }

    /** Seconds until the units reach the next whole token (0 < deficit <= T units). */
    private long secondsUntilNextToken(int limit, int window) {
        long deficit = window - units % window;
        return (deficit + limit - 1) / limit;
    }

    @Override
    public boolean isEvicted() {
        return units < 0;
    }

    @Override
    public void markEvicted() {
        units = -1;
    }
}
