package io.edgegateway.filters.ratelimit;

/**
 * The limiter in the seed's shape: may {@code userId} make a request at {@code timestampSeconds}?
 * An allowed request is counted; a denied one is not.
 */
public interface RateLimiter {

    boolean allowRequest(String userId, long timestampSeconds);
}
