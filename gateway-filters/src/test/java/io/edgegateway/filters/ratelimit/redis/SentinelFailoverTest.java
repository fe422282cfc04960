package io.edgegateway.filters.ratelimit.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.edgegateway.config.Algorithm;
import io.edgegateway.config.CircuitBreakerConfig;
import io.edgegateway.config.Quota;
import io.edgegateway.config.RedisConfig;
import io.edgegateway.config.StoreType;
import io.edgegateway.filters.metrics.GatewayMetrics;
import io.edgegateway.testkit.RedisSentinel;
import io.edgegateway.testkit.RedisServer;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A {@code redis-sentinel://} shard follows a failover from its killed primary to the promoted replica. */
class SentinelFailoverTest {

    private static final Quota QUOTA = new Quota(1_000, Duration.ofSeconds(60));

    @Test
    void decisionsResumeOnThePromotedReplica() {
        try (RedisServer primary = RedisServer.launch();
                RedisServer replica = RedisServer.launchReplicaOf(primary)) {
            await("replication link up").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
                    .until(() -> "up".equals(replica.info("master_link_status")));
            try (RedisSentinel sentinel = RedisSentinel.start(primary, "gw");
                    RedisRateLimitStore store = RedisRateLimitStore.create(
                            new RedisConfig(List.of(URI.create(sentinel.uri())), List.of(), Duration.ofMillis(500),
                                    new CircuitBreakerConfig(3, Duration.ofMillis(200))),
                            StoreType.REDIS, Algorithm.SLIDING_LOG, new GatewayMetrics(), 1)) {
                await("sentinel sees the replica").atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(50))
                        .until(() -> sentinel.reachableReplicas() == 1);
                assertThat(store.decide("user", QUOTA).toCompletableFuture().join().allowed()).isTrue();
                assertThat(primary.call("EXISTS", LimiterScript.redisKey("user"))).isEqualTo(1L);

                primary.kill();
                await("decisions on the promoted replica").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                        .ignoreExceptions()
                        .until(() -> store.decide("user", QUOTA).toCompletableFuture().join().allowed());
                assertThat(sentinel.primaryPort()).isEqualTo(replica.port());
                assertThat(replica.info("role")).isEqualTo("master");
                assertThat(replica.call("EXISTS", LimiterScript.redisKey("user"))).isEqualTo(1L);
            }
        }
    }
}
