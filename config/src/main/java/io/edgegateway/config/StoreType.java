package io.edgegateway.config;

/** Where the rate limiter keeps its counts: {@code local | redis | redis-cluster}. */
public enum StoreType {
    /** In this process's memory. */
    LOCAL,
    /** The {@code redis.shards}, picked by consistent hashing of the identity. */
    REDIS,
    /** The Redis Cluster reached through {@code redis.cluster}. */
    REDIS_CLUSTER
}
