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
    /** The quota's spec as the script takes it in ARGV. */
    final String spec;
    /** N as the decision reports it. */
    final long limit;
    /** The millisecond to decide at, or {@link LimiterScript#REDIS_CLOCK}. */
    final long now;
    /** When it was asked for: its duration includes the wait for its batch to go out. */
    final long startNanos;

    PendingDecision(String redisKey, Quota quota, long now, long startNanos) {
        this.redisKey = redisKey;
        this.spec = LimiterScript.spec(quota);
        this.limit = LimiterScript.requests(quota);
        this.now = now;
        this.startNanos = startNanos;
    }
}
