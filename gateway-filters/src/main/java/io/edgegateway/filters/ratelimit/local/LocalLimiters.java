package io.edgegateway.filters.ratelimit.local;

import io.edgegateway.config.Algorithm;
import io.edgegateway.config.Quota;
import io.edgegateway.filters.ratelimit.LocalRateLimiter;

/** Picks the in-memory limiter for a configured algorithm, blocking as the quota's {@code block-for} says. */
public final class LocalLimiters {

    private LocalLimiters() {
    }

    /** A limiter with a budget of its own, {@code max-identities = auto}. */
    public static LocalRateLimiter create(Algorithm algorithm, Quota quota) {
        return create(algorithm, quota, IdentityBudget.forHeap());
    }

    /** @param budget the identities the limiter may hold, shared with the other limiters given it */
    public static LocalRateLimiter create(Algorithm algorithm, Quota quota, IdentityBudget budget) {
        LocalRateLimiter limiter = switch (algorithm) {
            case SLIDING_LOG -> new SlidingLogLimiter(quota, budget);
            case SLIDING_WINDOW -> new SlidingWindowLimiter(quota, budget);
            case TOKEN_BUCKET -> new TokenBucketLimiter(quota, budget);
        };
        return quota.blockFor().isZero() ? limiter : new BlockingLimiter(limiter, quota, budget.max());
    }
}
