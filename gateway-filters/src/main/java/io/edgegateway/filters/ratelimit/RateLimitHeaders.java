package io.edgegateway.filters.ratelimit;

import io.edgegateway.config.Quota;
import io.edgegateway.filters.FilterContext;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;
import java.nio.charset.StandardCharsets;

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
    private static final byte[] RESET_PREFIX = ";t=".getBytes(StandardCharsets.US_ASCII);

    private final AsciiString policy;
    private final AsciiString limit;
    /** {@code "<route>";r=} in ASCII, the start of every {@code RateLimit} value. */
    private final byte[] remainingPrefix;

    RateLimitHeaders(String routeId, Quota quota) {
        this.policy = AsciiString.cached("\"" + routeId + "\";q=" + quota.requests() + ";w=" + quota.window().toSeconds());
        this.limit = AsciiString.cached(Long.toString(quota.requests()));
        this.remainingPrefix = ("\"" + routeId + "\";r=").getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * The fields of {@code decision}, written into the response's headers when it is made: every
     * limited response carries six of them, so they skip the filters' own header map.
     */
    FilterContext.ResponseFields fields(RateLimitDecision decision) {
        return headers -> write(headers, decision);
    }

    /**
     * The numbers are written as ASCII once, into one array: {@code RateLimit}'s value, then the
     * reset in milliseconds; the other values are views of it. ASCII values are checked and
     * encoded by array, where strings go a character at a time.
     */
    void write(HttpHeaders headers, RateLimitDecision decision) {
        long remaining = Math.max(0, decision.remaining());
        long resetSeconds = Math.max(0, decision.resetSeconds());
        long resetMillis = Math.max(0, decision.resetMillis());
        int remainingAt = remainingPrefix.length;
        int remainingLength = digits(remaining);
        int remainingEnd = remainingAt + remainingLength;
        int resetAt = remainingEnd + RESET_PREFIX.length;
        int resetLength = digits(resetSeconds);
        int rateLimitLength = resetAt + resetLength;
        int millisLength = digits(resetMillis);
        byte[] text = new byte[rateLimitLength + millisLength];
        System.arraycopy(remainingPrefix, 0, text, 0, remainingAt);
        putDigits(text, remainingEnd, remaining);
        System.arraycopy(RESET_PREFIX, 0, text, remainingEnd, RESET_PREFIX.length);
        putDigits(text, rateLimitLength, resetSeconds);
        putDigits(text, text.length, resetMillis);
        headers.set(RATELIMIT_POLICY, policy);
        headers.set(RATELIMIT, new AsciiString(text, 0, rateLimitLength, false));
        headers.set(X_RATELIMIT_LIMIT, limit);
        headers.set(X_RATELIMIT_REMAINING, new AsciiString(text, remainingAt, remainingLength, false));
        headers.set(X_RATELIMIT_RESET, new AsciiString(text, resetAt, resetLength, false));
        headers.set(X_RATELIMIT_RESET_MS, new AsciiString(text, rateLimitLength, millisLength, false));
    }

    /** Decimal digits of {@code n}, which is not negative. */
    private static int digits(long n) {
        int digits = 1;
        while (n >= 10) {
            n /= 10;
            digits++;
        }
        return digits;
    }

    /** Writes {@code n} (not negative) in decimal into {@code text}, ending just before {@code end}. */
    private static void putDigits(byte[] text, int end, long n) {
        do {
            text[--end] = (byte) ('0' + n % 10);
            n /= 10;
        } while (n > 0);
    }

    void retryAfter(HttpHeaders headers, long seconds) {
        headers.set(HttpHeaderNames.RETRY_AFTER, Math.max(1, seconds));
    }
}
