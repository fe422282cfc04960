package io.edgegateway.filters.ratelimit.local;

import io.edgegateway.config.Algorithm;
import io.edgegateway.config.Quota;
import io.edgegateway.filters.ratelimit.LocalRateLimiter;

/** Picks the in-memory limiter for a configured algorithm. */
public final class LocalLimiters {

    private LocalLimiters() {
    }

    public static LocalRateLimiter create(Algorithm algorithm, Quota quota) {
        return switch (algorithm) {
            case SLIDING_LOG -> new SlidingLogLimiter(quota);
            case SLIDING_WINDOW -> new SlidingWindowLimiter(quota);
            case TOKEN_BUCKET -> new TokenBucketLimiter(quota);
        };
    }
}
