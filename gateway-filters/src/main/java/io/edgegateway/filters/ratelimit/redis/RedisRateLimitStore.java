package io.edgegateway.filters.ratelimit.redis;

import io.edgegateway.config.Algorithm;
import io.edgegateway.config.Quota;
import io.edgegateway.config.RedisConfig;
import io.edgegateway.config.StoreType;
import io.edgegateway.filters.metrics.GatewayMetrics;
import io.edgegateway.filters.ratelimit.RateLimitDecision;
import io.edgegateway.filters.ratelimit.RateLimitStore;
import io.edgegateway.filters.ratelimit.RateLimiter;
import io.netty.channel.EventLoopGroup;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;

/**
 * Rate-limit decisions made in Redis by an atomic script on the shard that owns the identity
 * ({@code store = redis}: consistent hashing over {@code redis.shards}, each possibly a
 * Sentinel-watched primary; {@code store = redis-cluster}: a Redis Cluster). With
 * {@code store = redis} the decisions one event loop asks of a shard in one turn of the loop go
 * out as one script call; otherwise each decision is a call of its own. Never blocks: calls are
 * pipelined and asynchronous, and a shard whose circuit is open fails at once with a
 * {@link StoreUnavailableException}, leaving the caller to apply {@code on-store-failure}.
 */
public final class RedisRateLimitStore implements RateLimitStore {

    private final ShardRouter router;
    private final LimiterScript script;
    private final CompletableFuture<Void> opened;
    private volatile LiveGateways liveGateways;
    /** Denials on this process's monotonic clock, for {@link #decide}; null: no cache. */
    private final DenialCache denials;
    /** Denials on the callers' injected clock, for {@link #decideAtMillis}; null: no cache. */
    private final DenialCache injectedDenials;
    private final ScriptQuotas quotas = new ScriptQuotas();

    private RedisRateLimitStore(ShardRouter router, LimiterScript script, CompletableFuture<Void> opened,
            boolean cacheDenials) {
        this.router = router;
        this.script = script;
        this.opened = opened;
        this.denials = cacheDenials ? new DenialCache(DenialCache.DEFAULT_SLOTS) : null;
        this.injectedDenials = cacheDenials ? new DenialCache(DenialCache.DEFAULT_SLOTS) : null;
    }

    /** The same shards and connections without the denial cache: every decision is a script call (tests). */
    RedisRateLimitStore withoutDenialCache() {
        return new RedisRateLimitStore(router, script, opened, false);
    }

    /**
     * A store whose connections live on {@code loops}, one per shard on each loop: a decision asked
     * for on a loop never leaves that loop's thread, and with {@code store = redis} shares one
     * script call with the other decisions that loop asks of the same shard in the same turn. For a
     * server whose event loops call {@link #decide}; the loops must outlive the store, and use
     * native epoll where it is available.
     * Starts opening every shard's connections and loading the script at once (see {@link #opened}),
     * but waits for nothing: a shard that is down at start-up only fails the decisions routed to it
     * until it is back, and a decision that finds its connection still opening waits for it.
     */
    public static RedisRateLimitStore create(
            RedisConfig config, StoreType store, Algorithm algorithm, GatewayMetrics metrics, EventLoopGroup loops) {
        return create(config, store, algorithm, metrics, ClientThreads.on(Objects.requireNonNull(loops, "loops")));
    }

    /**
     * A store on Lettuce's own I/O threads, for use without a server: one script call per decision
     * (pipelined).
     *
     * @param connectionsPerShard connections per shard, each serving the calling threads mapped to it
     */
    public static RedisRateLimitStore create(
            RedisConfig config, StoreType store, Algorithm algorithm, GatewayMetrics metrics, int connectionsPerShard) {
        return create(config, store, algorithm, metrics, ClientThreads.own(connectionsPerShard));
    }

    private static RedisRateLimitStore create(
            RedisConfig config, StoreType store, Algorithm algorithm, GatewayMetrics metrics, ClientThreads threads) {
        try {
            Objects.requireNonNull(config, "config");
            Objects.requireNonNull(metrics, "metrics");
            LimiterScript script = LimiterScript.of(Objects.requireNonNull(algorithm, "algorithm"));
            ShardRouter router = switch (Objects.requireNonNull(store, "store")) {
                case REDIS -> new HashedShards(config, metrics, threads);
                case REDIS_CLUSTER -> new ClusterShards(config, metrics, threads);
                case LOCAL -> throw new IllegalArgumentException("store: local (expected: redis or redis-cluster)");
            };
            return new RedisRateLimitStore(router, script, router.open(script)
                    .completeOnTimeout(null, config.connectTimeout().toNanos(), TimeUnit.NANOSECONDS), true);
        } catch (RuntimeException e) {
            threads.close();
            throw e;
        }
    }

    /**
     * A decision on Redis's clock; an identity this gateway was told is denied until a reset that
     * has not yet come is denied again here, without a call (see {@link DenialCache}).
     */
    @Override
    public CompletionStage<RateLimitDecision> decide(String key, Quota quota) {
        String redisKey = LimiterScript.redisKey(key);
        long asked = 0;
        if (denials != null) {
            asked = System.nanoTime() / 1_000_000;
            RateLimitDecision cached = denials.denied(redisKey, quota, asked);
            if (cached != null) {
                return CompletableFuture.completedFuture(cached);
            }
        }
        return ask(new PendingDecision.Plain(redisKey, quotas.of(quota), LimiterScript.REDIS_CLOCK, denials, asked));
    }

    /** A decision on Redis's clock, with the millisecond it was counted at; always a script call. */
    public CompletionStage<TimedDecision> decideTimed(String key, Quota quota) {
        return ask(new PendingDecision.Timed(LimiterScript.redisKey(key), quotas.of(quota), LimiterScript.REDIS_CLOCK, null, 0));
    }

    /** A decision at {@code nowSeconds} instead of Redis's clock (tests, replays, the seed's shape). */
    public CompletionStage<TimedDecision> decideAt(String key, Quota quota, long nowSeconds) {
        return decideAtMillis(key, quota, nowSeconds * 1000);
    }

    /**
     * A decision at {@code nowMillis} instead of Redis's clock; denials are cached on that clock as
     * {@link #decide} caches them on its own. A cached denial reports {@code nowMillis} as its time.
     */
    public CompletionStage<TimedDecision> decideAtMillis(String key, Quota quota, long nowMillis) {
        String redisKey = LimiterScript.redisKey(key);
        if (injectedDenials != null) {
            RateLimitDecision cached = injectedDenials.denied(redisKey, quota, nowMillis);
            if (cached != null) {
                return CompletableFuture.completedFuture(new TimedDecision(cached, nowMillis, !quota.blockFor().isZero()));
            }
        }
        return ask(new PendingDecision.Timed(redisKey, quotas.of(quota), nowMillis, injectedDenials, nowMillis));
    }

    private <T> CompletionStage<T> ask(PendingDecision<T> decision) {
        return router.shardFor(decision.redisKey).decide(script, decision);
    }

    /**
     * The seed's shape for one quota: {@code allowRequest(userId, timestampSeconds)}. It waits for
     * Redis, so it is for tests and tools, never for an event loop; a store failure throws
     * {@link StoreUnavailableException}.
     */
    public RateLimiter limiter(Quota quota) {
        Objects.requireNonNull(quota, "quota");
        return (userId, timestampSeconds) -> {
            try {
                return decideAt(userId, quota, timestampSeconds).toCompletableFuture().join().decision().allowed();
            } catch (CompletionException e) {
                throw e.getCause() instanceof RuntimeException cause ? cause : e;
            }
        };
    }

    /** The label of the shard {@code key}'s counts live on (a cluster's node once its slot map is known). */
    public String shardFor(String key) {
        return router.shardFor(LimiterScript.redisKey(key)).name();
    }

    /** The circuit state of the shard {@code key} maps to. */
    public CircuitState circuitStateFor(String key) {
        return router.shardFor(LimiterScript.redisKey(key)).breaker().state();
    }

    /**
     * Done once every shard's connections are open and the script is loaded, or each attempt has
     * failed, or {@code connect-timeout} has passed since the store was created, whichever is first;
     * never fails. The gateway is ready only then, so its first decisions do not meet connections
     * that are still opening.
     */
    public CompletionStage<Void> opened() {
        return opened.minimalCompletionStage();
    }

    /**
     * Starts this gateway's heartbeat in the store, every second on {@code scheduler}, and counts
     * the live gateways from everyone's (see {@link LiveGateways}); stopped when the store closes.
     *
     * @param gatewayId unique among the gateways sharing the store
     */
    public IntSupplier countLiveGateways(String gatewayId, ScheduledExecutorService scheduler) {
        Objects.requireNonNull(gatewayId, "gatewayId");
        Objects.requireNonNull(scheduler, "scheduler");
        if (liveGateways != null) {
            throw new IllegalStateException("the live gateways are counted already");
        }
        LiveGateways live = LiveGateways.start(gatewayId, router.heartbeatStores(), scheduler);
        liveGateways = live;
        return live;
    }

    @Override
    public void close() {
        LiveGateways live = liveGateways;
        if (live != null) {
            live.close();
        }
        router.close();
    }
}
