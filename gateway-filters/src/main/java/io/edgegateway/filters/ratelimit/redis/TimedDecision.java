package io.edgegateway.filters.ratelimit.redis;

import io.edgegateway.filters.ratelimit.RateLimitDecision;

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
}
