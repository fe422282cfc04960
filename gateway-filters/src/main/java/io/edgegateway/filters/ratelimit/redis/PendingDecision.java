package io.edgegateway.filters.ratelimit.redis;

import io.edgegateway.config.Quota;
import java.util.concurrent.CompletableFuture;

/**
 * One decision asked of a shard, from when it is asked for until its part of a script call's reply
 * (or the call's failure) is reported to it. It is its own result, so queueing a decision costs
 * one object besides its arguments.
 */
final class PendingDecision extends CompletableFuture<TimedDecision> {

    final String redisKey;
    /** N and the quota's spec as the script takes them in ARGV. */
    final String requests;
    final String window;
    /** N as the decision reports it. */
    final long limit;
    /** The millisecond to decide at, or {@link LimiterScript#REDIS_CLOCK}. */
    final long now;
    /** When it was asked for: its duration includes the wait for its batch to go out. */
    final long startNanos;

    PendingDecision(String redisKey, Quota quota, long now, long startNanos) {
        this.redisKey = redisKey;
        QuotaArguments arguments = QuotaArguments.of(quota);
        this.requests = arguments.requests();
        this.window = arguments.spec();
        this.limit = arguments.limit();
        this.now = now;
        this.startNanos = startNanos;
    }
}
