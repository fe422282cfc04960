package io.edgegateway.filters.ratelimit.redis;

import io.edgegateway.filters.ratelimit.RateLimitDecision;
import java.util.List;

/**
 * A decision and the second (Redis's clock, or the injected one) it was made at, so a checker can
 * replay every decision against an exact limiter.
 */
public record TimedDecision(RateLimitDecision decision, long second) {

    /** Reads a script's reply {@code {allowed, remaining, resetSeconds, now}}. */
    static TimedDecision fromReply(List<Object> reply, long limit) {
        if (reply == null || reply.size() != 4) {
            throw new IllegalStateException("unexpected script reply: " + reply);
        }
        boolean allowed = (Long) reply.get(0) == 1L;
        long remaining = (Long) reply.get(1);
        long reset = (Long) reply.get(2);
        long now = (Long) reply.get(3);
        RateLimitDecision decision = allowed
                ? RateLimitDecision.allowed(limit, remaining, reset)
                : RateLimitDecision.denied(limit, reset);
        return new TimedDecision(decision, now);
    }
}
