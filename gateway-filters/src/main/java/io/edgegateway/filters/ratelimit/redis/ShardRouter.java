package io.edgegateway.filters.ratelimit.redis;

import java.util.Collection;
import java.util.concurrent.CompletableFuture;

/** Picks the shard an identity's key lives on. */
interface ShardRouter extends AutoCloseable {

    Shard shardFor(String redisKey);

    /** The shards known so far (a cluster's nodes appear as keys are routed to them). */
    Collection<Shard> shards();

    /**
     * Opens every connection (one per slot) and loads {@code script} on every server; done when
     * each attempt is over, whatever its outcome (a server that is down is tried again on use).
     */
    CompletableFuture<Void> open(LimiterScript script);

    /** Where the gateways' heartbeats are kept: every server of a sharded store, the cluster as one. */
    Collection<Shard> heartbeatStores();

    /** Closes every connection and the client; waits a bounded time. */
    @Override
    void close();
}
