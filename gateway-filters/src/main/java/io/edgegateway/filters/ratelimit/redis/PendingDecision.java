package io.edgegateway.filters.ratelimit.redis;

import io.edgegateway.filters.ratelimit.RateLimitDecision;
import java.util.concurrent.CompletableFuture;

/**
 * One decision asked of a shard, from when it is asked for until its part of a script call's reply
 * (or the call's failure) is reported to it. It is its own result, and remembers a denial in the
 * store's cache itself, so asking for a decision costs one object besides its key; {@link Plain}
 * completes with the decision, {@link Timed} with the millisecond it was counted at too.
 */
abstract sealed class PendingDecision<T> extends CompletableFuture<T> {

    final String redisKey;
    final ScriptQuota quota;
    /** The millisecond to decide at, or {@link LimiterScript#REDIS_CLOCK}. */
    final long now;
    /** Where a denial is remembered, on the clock of {@link #askedMillis}; null: nowhere. */
    private final DenialCache denials;
    private final long askedMillis;
    /** When it was asked of the shard: its duration includes the wait for its batch to go out. */
    long startNanos;

    private PendingDecision(String redisKey, ScriptQuota quota, long now, DenialCache denials, long askedMillis) {
        this.redisKey = redisKey;
        this.quota = quota;
        this.now = now;
        this.denials = denials;
        this.askedMillis = askedMillis;
    }

    /** Completes with the decision its key's part of a reply says, remembering a denial first. */
    final void decided(RateLimitDecision decision, long millis, boolean blocked) {
        if (denials != null) {
            denials.remember(redisKey, quota.quota, askedMillis, decision, blocked);
        }
        complete(result(decision, millis, blocked));
    }

    abstract T result(RateLimitDecision decision, long millis, boolean blocked);

    /** Completes with the decision alone. */
    static final class Plain extends PendingDecision<RateLimitDecision> {

        Plain(String redisKey, ScriptQuota quota, long now, DenialCache denials, long askedMillis) {
            super(redisKey, quota, now, denials, askedMillis);
        }

        @Override
        RateLimitDecision result(RateLimitDecision decision, long millis, boolean blocked) {
            return decision;
        }
    }

    /** Completes with the decision and the millisecond it was counted at. */
    static final class Timed extends PendingDecision<TimedDecision> {

        Timed(String redisKey, ScriptQuota quota, long now, DenialCache denials, long askedMillis) {
            super(redisKey, quota, now, denials, askedMillis);
        }

        @Override
        TimedDecision result(RateLimitDecision decision, long millis, boolean blocked) {
            return new TimedDecision(decision, millis, blocked);
        }
    }
}
