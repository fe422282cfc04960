package io.edgegateway.filters.ratelimit.redis;

import io.edgegateway.filters.ratelimit.RateLimitDecision;
import java.util.List;

/**
 * A decision and the millisecond (Redis's clock, or the injected one) it was counted at, so a
 * checker can replay every decision against an exact limiter. A sliding log reports the start of
 * the tick it counted the request in. {@code blocked}: denied by {@code block-for}, not by the count.
 */
public record TimedDecision(RateLimitDecision decision, long millis, boolean blocked) {

    public TimedDecision(RateLimitDecision decision, long millis) {
        this(decision, millis, false);
    }

    /** The whole second it was counted at. */
    public long second() {
        return Math.floorDiv(millis, 1000);
    }

    /**
     * Reads one key's part {@code allowed (1, 0, or 2: blocked), remaining, resetMillis, nowMillis} of a script's reply,
     * the {@link LimiterScript#REPLY_VALUES_PER_KEY} values from {@code offset}.
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
                ? RateLimitDecision.allowedMillis(limit, remaining, reset)
                : RateLimitDecision.deniedMillis(limit, reset);
        return new TimedDecision(decision, now, allowed == 2L);
    }
}
