package io.edgegateway.filters.ratelimit.redis;

import java.util.Collection;

/** Picks the shard an identity's key lives on. */
interface ShardRouter extends AutoCloseable {

    Shard shardFor(String redisKey);

    /** The shards known so far (a cluster's nodes appear as keys are routed to them). */
    Collection<Shard> shards();

    /** Closes every connection and the client; waits a bounded time. */
    @Override
    void close();
}
