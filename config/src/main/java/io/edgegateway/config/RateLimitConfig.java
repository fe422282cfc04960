package io.edgegateway.config;

import java.util.Objects;
import java.util.Optional;

/**
 * {@code gateway.rate-limit}: where counts are kept and how they are judged.
 *
 * @param defaultQuota the quota of routes that say nothing about rate limiting; empty: those routes are unlimited
 * @param instances how many gateway instances share the limits: with {@code on-store-failure = local} each
 *     instance enforces {@code requests / instances} of every quota on its own while the store is down
 * @param local the in-memory store's bounds
 */
public record RateLimitConfig(
        StoreType store,
        Algorithm algorithm,
        FailurePolicy onStoreFailure,
        LimitMode mode,
        Optional<Quota> defaultQuota,
        int instances,
        RedisConfig redis,
        LocalStoreConfig local) {

    public RateLimitConfig {
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(algorithm, "algorithm");
        Objects.requireNonNull(onStoreFailure, "onStoreFailure");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(defaultQuota, "defaultQuota");
        Objects.requireNonNull(redis, "redis");
        Objects.requireNonNull(local, "local");
        if (instances < 1) {
            throw new IllegalArgumentException("instances: " + instances + " (expected: >= 1)");
        }
    }

    /** With the in-memory store's default bounds. */
    public RateLimitConfig(StoreType store, Algorithm algorithm, FailurePolicy onStoreFailure, LimitMode mode,
            Optional<Quota> defaultQuota, int instances, RedisConfig redis) {
        this(store, algorithm, onStoreFailure, mode, defaultQuota, instances, redis, LocalStoreConfig.AUTO);
    }
}
