package io.edgegateway.filters.ratelimit;

/**
 * An in-memory limiter for one quota: decides synchronously, for many identities at once, with no
 * global lock. Time is a parameter so tests (and the seed's shape) can drive it.
 */
public interface LocalRateLimiter extends RateLimiter {

    RateLimitDecision decide(String key, long nowSeconds);

    @Override
    default boolean allowRequest(String userId, long timestampSeconds) {
        return decide(userId, timestampSeconds).allowed();
    }

    /** Forgets identities idle for longer than the window, so memory follows the active ones. */
    void evictIdle(long nowSeconds);

    /** Identities currently held. */
    int size();
}
