package io.edgegateway.config;

import java.util.Objects;
import java.util.Optional;

/**
 * {@code gateway.rate-limit}: where counts are kept and how they are judged.
 *
 * @param defaultQuota the quota of routes that say nothing about rate limiting; empty: those routes are unlimited
 */
public record RateLimitConfig(
        StoreType store,
        Algorithm algorithm,
        FailurePolicy onStoreFailure,
        LimitMode mode,
        Optional<Quota> defaultQuota,
        RedisConfig redis) {

    public RateLimitConfig {
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(algorithm, "algorithm");
        Objects.requireNonNull(onStoreFailure, "onStoreFailure");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(defaultQuota, "defaultQuota");
        Objects.requireNonNull(redis, "redis");
    }
}
