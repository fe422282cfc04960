package io.edgegateway.filters.ratelimit;

/**
 * An in-memory limiter for one quota: decides synchronously, for many identities at once, with no
 * global lock. Time is a parameter so tests (and the seed's shape) can drive it: in whole seconds,
 * or in milliseconds for a quota with a finer {@code resolution}.
 */
public interface LocalRateLimiter extends RateLimiter {

    RateLimitDecision decide(String key, long nowSeconds);

    /** A decision at {@code nowMillis}; a limiter that counts whole seconds takes the second it falls in. */
    default RateLimitDecision decideAtMillis(String key, long nowMillis) {
        return decide(key, Math.floorDiv(nowMillis, 1000));
    }

    @Override
    default boolean allowRequest(String userId, long timestampSeconds) {
        return decide(userId, timestampSeconds).allowed();
    }

    /** Forgets identities idle for longer than the window, so memory follows the active ones. */
    void evictIdle(long nowSeconds);

    /** {@link #evictIdle} at {@code nowMillis}. */
    default void evictIdleAtMillis(long nowMillis) {
        evictIdle(Math.floorDiv(nowMillis, 1000));
    }

    /** Identities currently held. */
    int size();
}
