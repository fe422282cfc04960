package io.edgegateway.config;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * {@code gateway.rate-limit}: where counts are kept and how they are judged.
 *
 * @param defaultQuota the quota of routes that say nothing about rate limiting; empty: those routes are unlimited
 * @param instances how many gateway instances share the limits: with {@code on-store-failure = local} each
 *     instance enforces {@code requests / instances} of every quota on its own while the store is down;
 *     empty for {@code instances = auto}, the live gateways counted by their heartbeats in the store
 * @param local the in-memory store's bounds
 */
public record RateLimitConfig(
        StoreType store,
        Algorithm algorithm,
        FailurePolicy onStoreFailure,
        LimitMode mode,
        Optional<Quota> defaultQuota,
        OptionalInt instances,
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
        Objects.requireNonNull(instances, "instances");
        if (instances.isPresent() && instances.getAsInt() < 1) {
            throw new IllegalArgumentException("instances: " + instances.getAsInt() + " (expected: >= 1 or auto)");
        }
    }

    /** With the in-memory store's default bounds. */
    public RateLimitConfig(StoreType store, Algorithm algorithm, FailurePolicy onStoreFailure, LimitMode mode,
            Optional<Quota> defaultQuota, int instances, RedisConfig redis) {
        this(store, algorithm, onStoreFailure, mode, defaultQuota, OptionalInt.of(instances), redis, LocalStoreConfig.AUTO);
    }
}
