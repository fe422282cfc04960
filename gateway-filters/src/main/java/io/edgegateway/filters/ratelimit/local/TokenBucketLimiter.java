package io.edgegateway.filters.ratelimit.local;

import io.edgegateway.config.Quota;
import io.edgegateway.filters.ratelimit.LocalRateLimiter;
import io.edgegateway.filters.ratelimit.RateLimitDecision;

/**
 * A bucket of capacity C per identity, refilled continuously at N tokens per T seconds: bursts of
 * up to C, then N per T on average. C is N, or floor(burst × N) with a {@code burst}. Time comes in
 * whole seconds (a finer {@code resolution} does not change it); fractions of tokens are kept.
 *
 * <p>{@code remaining} is the whole tokens left after this request; {@code resetSeconds} is the
 * time until the next whole token is in the bucket (for a denial: when the next request will be
 * allowed). A timestamp before the identity's last one is treated as that one. An identity is
 * evicted once its bucket is full again.
 */
public final class TokenBucketLimiter implements LocalRateLimiter {

    private final PackedIdentityTable states;

    /** With a budget of its own, {@code max-identities = auto}. */
    public TokenBucketLimiter(Quota quota) {
        this(quota, IdentityBudget.forHeap());
    }

    /** @param budget the identities this limiter may hold, shared with the store's other limiters */
    public TokenBucketLimiter(Quota quota, IdentityBudget budget) {
        IntQuota checked = IntQuota.of(quota);
        this.states = new PackedIdentityTable(new TokenBucket(checked.limit(), capacity(quota), checked.window()), budget);
    }

    private static int capacity(Quota quota) {
        if (quota.burstLimit() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("burst: " + quota.burst() + " (expected: burst × requests <= "
                    + Integer.MAX_VALUE + " for an in-memory token bucket)");
        }
        return (int) quota.burstLimit();
    }

    @Override
    public RateLimitDecision decide(String key, long nowSeconds) {
        return states.decide(key, nowSeconds);
    }

    @Override
    public void evictIdle(long nowSeconds) {
        states.evictIdle(nowSeconds);
    }

    @Override
    public int size() {
        return states.size();
    }
}
