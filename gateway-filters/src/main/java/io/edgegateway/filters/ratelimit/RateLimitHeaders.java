package io.edgegateway.filters.ratelimit;

import io.edgegateway.config.Quota;
import io.edgegateway.filters.FilterContext;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;

/**
 * The rate-limit fields of a response: the IETF draft's {@code RateLimit-Policy} and
 * {@code RateLimit}, and the older {@code X-RateLimit-*} trio. {@code X-RateLimit-Reset} is in
 * seconds from now, like the draft's {@code t}; both are whole seconds rounded up (the draft allows
 * only delta-seconds), and {@code X-RateLimit-Reset-Ms} gives the same in milliseconds for quotas
 * with a finer {@code resolution}.
 */
final class RateLimitHeaders {

    static final AsciiString RATELIMIT_POLICY = AsciiString.cached("ratelimit-policy");
    static final AsciiString RATELIMIT = AsciiString.cached("ratelimit");
    static final AsciiString X_RATELIMIT_LIMIT = AsciiString.cached("x-ratelimit-limit");
    static final AsciiString X_RATELIMIT_REMAINING = AsciiString.cached("x-ratelimit-remaining");
    static final AsciiString X_RATELIMIT_RESET = AsciiString.cached("x-ratelimit-reset");
    static final AsciiString X_RATELIMIT_RESET_MS = AsciiString.cached("x-ratelimit-reset-ms");

    private final String policy;
    private final String limit;
    private final String remainingPrefix;

    RateLimitHeaders(String routeId, Quota quota) {
        this.policy = "\"" + routeId + "\";q=" + quota.requests() + ";w=" + quota.window().toSeconds();
        this.limit = Long.toString(quota.requests());
        this.remainingPrefix = "\"" + routeId + "\";r=";
    }

    /**
     * The fields of {@code decision}, written into the response's headers when it is made: every
     * limited response carries six of them, so they skip the filters' own header map.
     */
    FilterContext.ResponseFields fields(RateLimitDecision decision) {
        return headers -> write(headers, decision);
    }

    /** The numbers are made text once each (a boxed long would be made text again by the headers). */
    void write(HttpHeaders headers, RateLimitDecision decision) {
        String remaining = Long.toString(decision.remaining());
        String resetSeconds = Long.toString(decision.resetSeconds());
        headers.set(RATELIMIT_POLICY, policy);
        headers.set(RATELIMIT, remainingPrefix + remaining + ";t=" + resetSeconds);
        headers.set(X_RATELIMIT_LIMIT, limit);
        headers.set(X_RATELIMIT_REMAINING, remaining);
        headers.set(X_RATELIMIT_RESET, resetSeconds);
        headers.set(X_RATELIMIT_RESET_MS, Long.toString(decision.resetMillis()));
    }

    void retryAfter(HttpHeaders headers, long seconds) {
        headers.set(HttpHeaderNames.RETRY_AFTER, Math.max(1, seconds));
    }
}
