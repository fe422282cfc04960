package io.edgegateway.server;

import io.edgegateway.config.RateLimitConfig;
import io.edgegateway.config.StoreType;
import io.edgegateway.filters.metrics.GatewayMetrics;
import io.edgegateway.filters.ratelimit.RateLimitStore;
import io.edgegateway.filters.ratelimit.local.IdentityBudget;
import io.edgegateway.filters.ratelimit.local.LocalRateLimitStore;
import io.edgegateway.filters.ratelimit.redis.RedisRateLimitStore;
import io.netty.channel.EventLoopGroup;
import java.util.OptionalInt;

/**
 * The stores a gateway decides with: the configured one, and the in-memory one that
 * {@code on-store-failure = local} falls back to (the same store when the configured one is local).
 */
record RateLimitStores(RateLimitStore store, LocalRateLimitStore local) implements AutoCloseable {

    /** @param loops the event loops that ask for decisions; a Redis store's connections live on them */
    static RateLimitStores create(RateLimitConfig config, GatewayMetrics metrics, EventLoopGroup loops) {
        OptionalInt maxIdentities = config.local().maxIdentities();
        IdentityBudget budget = maxIdentities.isPresent()
                ? IdentityBudget.of(maxIdentities.getAsInt())
                : IdentityBudget.forHeap();
        LocalRateLimitStore local = new LocalRateLimitStore(config.algorithm(), () -> System.currentTimeMillis() / 1000, budget);
        if (config.store() == StoreType.LOCAL) {
            return new RateLimitStores(local, local);
        }
        try {
            return new RateLimitStores(
                    RedisRateLimitStore.create(config.redis(), config.store(), config.algorithm(), metrics, loops), local);
        } catch (RuntimeException e) {
            local.close();
            throw e;
        }
    }

    @Override
    public void close() {
        if (store != local) {
            store.close();
        }
        local.close();
    }
}
