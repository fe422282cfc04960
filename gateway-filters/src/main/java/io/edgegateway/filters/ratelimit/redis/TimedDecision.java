package io.edgegateway.filters.ratelimit.redis;

import io.edgegateway.filters.ratelimit.RateLimitDecision;
import java.util.List;

/**
 * A decision and the second (Redis's clock, or the injected one) it was made at, so a checker can
 * replay every decision against an exact limiter.
 */
public record TimedDecision(RateLimitDecision decision, long second) {

    /**
     * Reads one key's part {@code allowed, remaining, resetSeconds, now} of a script's reply, the
     * {@link LimiterScript#REPLY_VALUES_PER_KEY} values from {@code offset}.
     *
     * @throws IllegalStateException if they are not four integers
     */
    static TimedDecision fromReply(List<Object> reply, int offset, long limit) {
        if (!(reply.get(offset) instanceof Long allowed && reply.get(offset + 1) instanceof Long remaining
                && reply.get(offset + 2) instanceof Long reset && reply.get(offset + 3) instanceof Long now)) {
            throw new IllegalStateException("unexpected script reply: "
                    + reply.subList(offset, offset + LimiterScript.REPLY_VALUES_PER_KEY));
        }
        RateLimitDecision decision = allowed == 1L
                ? RateLimitDecision.allowed(limit, remaining, reset)
                : RateLimitDecision.denied(limit, reset);
        return new TimedDecision(decision, now);
    }
}
