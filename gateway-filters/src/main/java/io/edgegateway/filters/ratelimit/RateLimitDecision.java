package io.edgegateway.filters.ratelimit;

/**
 * One decision of a limiter, with what the response headers tell the client.
 *
 * @param allowed whether the request may proceed (it has been counted when it may)
 * @param limit the quota's request count
 * @param remaining requests still allowed in the current window after this one
 * @param resetMillis milliseconds until a counted request frees up; for a denial, when the next one
 *     is allowed (at least 1)
 */
public record RateLimitDecision(boolean allowed, long limit, long remaining, long resetMillis) {

    public static RateLimitDecision allowed(long limit, long remaining, long resetSeconds) {
        return allowedMillis(limit, remaining, resetSeconds * 1000);
    }

    public static RateLimitDecision denied(long limit, long resetSeconds) {
        return deniedMillis(limit, Math.max(1, resetSeconds) * 1000);
    }

    public static RateLimitDecision allowedMillis(long limit, long remaining, long resetMillis) {
        return new RateLimitDecision(true, limit, remaining, Math.max(0, resetMillis));
    }

    public static RateLimitDecision deniedMillis(long limit, long resetMillis) {
        return new RateLimitDecision(false, limit, 0, Math.max(1, resetMillis));
    }

    /** {@link #resetMillis} in whole seconds, rounded up, as {@code Retry-After} and {@code RateLimit} give it. */
    public long resetSeconds() {
        return (resetMillis + 999) / 1000;
    }
}
