package io.edgegateway.filters.ratelimit.local;

import io.edgegateway.config.Quota;
import io.edgegateway.filters.ratelimit.RateLimitDecision;

/**
 * Exact: for each identity, in any T-second interval at most N requests are allowed. A request at
 * second s is allowed when fewer than N were allowed in seconds s-T+1..s (so N at t and one more
 * at t+T: that one is allowed); a denied request is not counted.
 *
 * <p>Memory per identity is O(min(N, T)): a (second, count) pair per second that had an allowed
 * request in the window, not one entry per request nor one slot per second of T.
 *
 * <p>Out-of-order timestamps (threads racing for one identity): a timestamp earlier than the
 * newest second already counted for the identity is treated as that newest second, so a late
 * request never frees capacity and the bound holds in counted seconds.
 *
 * <p>In a decision, {@code remaining} is N minus the requests in the window after this one, and
 * {@code resetSeconds} is the time until the oldest counted request leaves the window: for a
 * denial, exactly when the next request will be allowed.
 *
 * <p>{@link #evictIdle} forgets an identity once its newest counted request is more than T seconds
 * old, which is safe as long as no request arrives with a timestamp over a second behind the
 * clock that eviction is given.
 */
public final class SlidingLogLimiter extends IdentityLimiter<SlidingLog> {

    private final int maxEntries;
    private final SlidingLogObserver observer;

    /** With a budget of its own, {@code max-identities = auto}. */
    public SlidingLogLimiter(Quota quota) {
        this(quota, IdentityBudget.forHeap());
    }

    /** @param budget the identities this limiter may hold, shared with the store's other limiters */
    public SlidingLogLimiter(Quota quota, IdentityBudget budget) {
        this(quota, budget, SlidingLogObserver.NONE);
    }

    SlidingLogLimiter(Quota quota, SlidingLogObserver observer) {
        this(quota, IdentityBudget.forHeap(), observer);
    }

    SlidingLogLimiter(Quota quota, IdentityBudget budget, SlidingLogObserver observer) {
        super(quota, budget);
        this.maxEntries = Math.min(limit, window);
        this.observer = observer;
    }

    @Override
    SlidingLog newState(long nowSeconds) {
        return new SlidingLog();
    }

    @Override
    RateLimitDecision decide(String key, SlidingLog log, long nowSeconds) {
        long second = log.countedSecond(nowSeconds);
        RateLimitDecision decision = log.decide(second, limit, window, maxEntries);
        observer.decided(key, nowSeconds, second, decision);
        return decision;
    }

    @Override
    boolean isIdle(SlidingLog log, long nowSeconds) {
        return log.isIdle(nowSeconds, window);
    }
}
