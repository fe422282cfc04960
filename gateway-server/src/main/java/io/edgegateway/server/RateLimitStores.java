package io.edgegateway.server;

import io.edgegateway.config.RateLimitConfig;
import io.edgegateway.config.StoreType;
import io.edgegateway.filters.metrics.GatewayMetrics;
import io.edgegateway.filters.ratelimit.RateLimitStore;
import io.edgegateway.filters.ratelimit.local.IdentityBudget;
import io.edgegateway.filters.ratelimit.local.LocalRateLimitStore;
import io.edgegateway.filters.ratelimit.redis.RedisRateLimitStore;
import io.netty.channel.EventLoopGroup;
import java.lang.management.ManagementFactory;
import java.util.OptionalInt;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.IntSupplier;

/**
 * The stores a gateway decides with: the configured one, and the in-memory one that
 * {@code on-store-failure = local} falls back to (the same store when the configured one is local),
 * with how many gateways share the limits ({@code rate-limit.instances}: fixed, or counted live
 * from heartbeats in the Redis store).
 */
record RateLimitStores(RateLimitStore store, LocalRateLimitStore local, IntSupplier instances)
        implements AutoCloseable {

    /** @param loops the event loops that ask for decisions; a Redis store's connections live on them */
    static RateLimitStores create(RateLimitConfig config, GatewayMetrics metrics, EventLoopGroup loops) {
        OptionalInt maxIdentities = config.local().maxIdentities();
        IdentityBudget budget = maxIdentities.isPresent()
                ? IdentityBudget.of(maxIdentities.getAsInt())
                : IdentityBudget.forHeap();
        LocalRateLimitStore local = new LocalRateLimitStore(config.algorithm(), budget);
        int fixed = config.instances().orElse(1);
        if (config.store() == StoreType.LOCAL) {
            return new RateLimitStores(local, local, () -> fixed);
        }
        RedisRateLimitStore redis = null;
        try {
            redis = RedisRateLimitStore.create(config.redis(), config.store(), config.algorithm(), metrics, loops);
            IntSupplier instances = config.instances().isPresent()
                    ? () -> fixed
                    : redis.countLiveGateways(gatewayId(), loops.next());
            return new RateLimitStores(redis, local, instances);
        } catch (RuntimeException e) {
            if (redis != null) {
                redis.close();
            }
            local.close();
            throw e;
        }
    }

    /** Unique among the gateways sharing a store, and telling an operator which process it is. */
    private static String gatewayId() {
        return ManagementFactory.getRuntimeMXBean().getName() + "/" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** Done once the store's connections are open, or their connect timeout has passed; at once for the local store. */
    CompletionStage<Void> opened() {
        return store instanceof RedisRateLimitStore redis ? redis.opened() : CompletableFuture.completedFuture(null);
    }

    @Override
    public void close() {
        if (store != local) {
            store.close();
        }
        local.close();
    }
}
