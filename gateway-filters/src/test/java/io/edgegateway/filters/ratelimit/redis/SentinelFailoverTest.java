package io.edgegateway.filters.ratelimit.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.edgegateway.config.Algorithm;
import io.edgegateway.config.CircuitBreakerConfig;
import io.edgegateway.config.Quota;
import io.edgegateway.config.RedisConfig;
import io.edgegateway.config.StoreType;
import io.edgegateway.filters.metrics.GatewayMetrics;
import io.edgegateway.filters.ratelimit.RateLimitDecision;
import io.edgegateway.testkit.RedisSentinel;
import io.edgegateway.testkit.RedisServer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * A {@code redis-sentinel://} shard follows a failover from its killed primary to the promoted
 * replica: with one call per decision (the store as a library), and with decisions asked for on an
 * event loop, in batches.
 */
class SentinelFailoverTest {

    private static final Quota QUOTA = new Quota(1_000, Duration.ofSeconds(60));

    @Test
    void decisionsResumeOnThePromotedReplica() {
        failOverWith(config -> RedisRateLimitStore.create(
                config, StoreType.REDIS, Algorithm.SLIDING_LOG, new GatewayMetrics(), 1), Runnable::run, 1);
    }

    @Test
    void batchedDecisionsResumeOnThePromotedReplica() {
        EventLoopGroup loops = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try {
            failOverWith(config -> RedisRateLimitStore.create(
                    config, StoreType.REDIS, Algorithm.SLIDING_LOG, new GatewayMetrics(), loops), loops.next(), 10);
        } finally {
            loops.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    /** @param together decisions asked for at once, on {@code askOn} */
    private static void failOverWith(Function<RedisConfig, RedisRateLimitStore> stores, Executor askOn, int together) {
        try (RedisServer primary = RedisServer.launch();
                RedisServer replica = RedisServer.launchReplicaOf(primary)) {
            await("replication link up").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
                    .until(() -> "up".equals(replica.info("master_link_status")));
            try (RedisSentinel sentinel = RedisSentinel.start(primary, "gw");
                    RedisRateLimitStore store = stores.apply(
                            new RedisConfig(List.of(URI.create(sentinel.uri())), List.of(), Duration.ofMillis(500),
                                    new CircuitBreakerConfig(3, Duration.ofMillis(200))))) {
                await("sentinel sees the replica").atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(50))
                        .until(() -> sentinel.reachableReplicas() == 1);
                assertThat(allowed(store, askOn, "user", together)).isTrue();
                assertThat(primary.call("EXISTS", LimiterScript.redisKey("user"))).isEqualTo(1L);

                primary.kill();
                await("decisions on the promoted replica").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                        .ignoreExceptions()
                        .until(() -> allowed(store, askOn, "user", together));
                assertThat(sentinel.primaryPort()).isEqualTo(replica.port());
                assertThat(replica.info("role")).isEqualTo("master");
                assertThat(replica.call("EXISTS", LimiterScript.redisKey("user"))).isEqualTo(1L);
            }
        }
    }

    /** Asks for decisions for {@code identity} and {@code together - 1} others at once on {@code askOn}: all allowed? */
    private static boolean allowed(RedisRateLimitStore store, Executor askOn, String identity, int together) {
        CompletableFuture<List<CompletableFuture<RateLimitDecision>>> asked = new CompletableFuture<>();
        askOn.execute(() -> {
            List<CompletableFuture<RateLimitDecision>> decisions = new ArrayList<>();
            decisions.add(store.decide(identity, QUOTA).toCompletableFuture());
            for (int i = 1; i < together; i++) {
                decisions.add(store.decide(identity + "-" + i, QUOTA).toCompletableFuture());
            }
            asked.complete(decisions);
        });
        return asked.join().stream().allMatch(decision -> decision.join().allowed());
    }
}
