package io.edgegateway.filters.ratelimit.local;

import io.edgegateway.config.Quota;
import io.edgegateway.filters.ratelimit.RateLimitDecision;

/**
 * A bucket of capacity N per identity, refilled continuously at N tokens per T seconds: bursts of
 * up to N, then N per T on average. Time comes in whole seconds; fractions of tokens are kept.
 *
 * <p>{@code remaining} is the whole tokens left after this request; {@code resetSeconds} is the
 * time until the next whole token is in the bucket (for a denial: when the next request will be
 * allowed). A timestamp before the identity's last one is treated as that one. An identity is
 * evicted once its bucket is full again.
 */
public final class TokenBucketLimiter extends IdentityLimiter<TokenBucket> {

    public TokenBucketLimiter(Quota quota) {
        super(quota);
    }

    @Override
    TokenBucket newState(long nowSeconds) {
        return new TokenBucket(nowSeconds, limit, window);
    }

    @Override
    RateLimitDecision decide(String key, TokenBucket bucket, long nowSeconds) {
        return bucket.decide(nowSeconds, limit, window);
    }

    @Override
    boolean isIdle(TokenBucket bucket, long nowSeconds) {
        return bucket.isIdle(nowSeconds, limit, window);
    }
}
