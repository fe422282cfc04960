package io.edgegateway.filters.ratelimit.local;

import io.edgegateway.config.Quota;
import io.edgegateway.filters.ratelimit.LocalRateLimiter;
import io.edgegateway.filters.ratelimit.RateLimitDecision;

/**
 * Approximate, in O(1) per identity: counts requests in fixed T-second windows and estimates the
 * sliding window s-T+1..s as {@code previous × (T-1-e)/T + current}, where e is the seconds elapsed
 * in the current window; a request is allowed while the estimate stays at most N.
 *
 * <p>Error bound: the estimate assumes the previous window's requests were spread evenly over it.
 * A fixed window never holds more than N, so any T-second interval holds at most 2N-1 allowed
 * requests; that worst case needs the previous window's N all in its last second. The other way
 * round (all in its first second) it may deny while fewer than N were allowed in the last T
 * seconds, down to about N/T at the start of a window. With evenly spread traffic the estimate is
 * off by less than one request. With T = 1 it is exact.
 *
 * <p>{@code resetSeconds}: for an allowed request, the seconds until the current fixed window
 * ends; for a denial, until the estimate admits one more, if no other request comes. A timestamp
 * from an earlier window than the identity's current one is counted in the current one, weighed
 * as at its first second.
 */
public final class SlidingWindowLimiter implements LocalRateLimiter {

    private final PackedIdentityTable states;

    /** With a budget of its own, {@code max-identities = auto}. */
    public SlidingWindowLimiter(Quota quota) {
        this(quota, IdentityBudget.forHeap());
    }

    /** @param budget the identities this limiter may hold, shared with the store's other limiters */
    public SlidingWindowLimiter(Quota quota, IdentityBudget budget) {
        if (quota.burst() != 1) {
            throw new IllegalArgumentException("burst: " + quota.burst() + " (expected: 1 with algorithm = sliding-window;"
                    + " burst is for sliding-log and token-bucket)");
        }
        IntQuota checked = IntQuota.of(quota);
        this.states = new PackedIdentityTable(new SlidingWindowCounter(checked.limit(), checked.window()), budget);
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
