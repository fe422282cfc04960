package io.edgegateway.filters.ratelimit;

/**
 * One decision of a limiter, with what the response headers tell the client.
 *
 * @param allowed whether the request may proceed (it has been counted when it may)
 * @param limit the quota's request count
 * @param remaining requests still allowed in the current window after this one
 * @param resetSeconds seconds until a counted request frees up; for a denial, when the next one is allowed
 */
public record RateLimitDecision(boolean allowed, long limit, long remaining, long resetSeconds) {

    public static RateLimitDecision allowed(long limit, long remaining, long resetSeconds) {
        return new RateLimitDecision(true, limit, remaining, resetSeconds);
    }

    public static RateLimitDecision denied(long limit, long resetSeconds) {
        return new RateLimitDecision(false, limit, 0, Math.max(1, resetSeconds));
    }
}
