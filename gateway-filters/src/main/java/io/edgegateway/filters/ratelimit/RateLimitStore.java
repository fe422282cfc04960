package io.edgegateway.filters.ratelimit;

import io.edgegateway.config.Quota;
import java.util.concurrent.CompletionStage;

/**
 * Where decisions are made for the filter: in memory, or in Redis shards. The stage may complete
 * on any thread; it fails (fast, once a shard's breaker is open) when the store cannot decide, and
 * the filter then applies {@code on-store-failure}.
 */
public interface RateLimitStore extends AutoCloseable {

    CompletionStage<RateLimitDecision> decide(String key, Quota quota);

    @Override
    void close();
}
