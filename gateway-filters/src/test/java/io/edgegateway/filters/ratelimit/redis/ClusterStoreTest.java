package io.edgegateway.filters.ratelimit.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgegateway.config.Algorithm;
import io.edgegateway.config.CircuitBreakerConfig;
import io.edgegateway.config.Quota;
import io.edgegateway.config.RedisConfig;
import io.edgegateway.config.StoreType;
import io.edgegateway.filters.metrics.GatewayMetrics;
import io.edgegateway.filters.ratelimit.RateLimitDecision;
import io.edgegateway.testkit.RedisCluster;
import io.edgegateway.testkit.RedisServer;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** {@code store = redis-cluster} against three real cluster primaries. */
class ClusterStoreTest {

    private static final long T0 = 1_700_000_000L;
    private static final int IDENTITIES = 300;

    @Test
    void decidesForManyIdentitiesAcrossTheNodes() {
        Quota quota = new Quota(2, Duration.ofSeconds(30));
        // A generous command timeout: the first burst, on a cold JVM and a busy machine, is no test of speed.
        try (RedisCluster cluster = RedisCluster.start(3);
                RedisRateLimitStore store = RedisRateLimitStore.create(
                        new RedisConfig(List.of(), cluster.uris().stream().map(URI::create).toList(), Duration.ofSeconds(2),
                                new CircuitBreakerConfig(3, Duration.ofMillis(300))),
                        StoreType.REDIS_CLUSTER, Algorithm.SLIDING_LOG, new GatewayMetrics(), 2)) {
            for (long now : new long[] {T0, T0 + 1, T0 + 2, T0 + 30}) {
                List<CompletableFuture<TimedDecision>> decisions = new ArrayList<>();
                for (int i = 0; i < IDENTITIES; i++) {
                    decisions.add(store.decideAt("user-" + i, quota, now).toCompletableFuture());
                }
                for (CompletableFuture<TimedDecision> decision : decisions) {
                    RateLimitDecision expected = now == T0 ? RateLimitDecision.allowed(2, 1, 0)
                            : now == T0 + 1 ? RateLimitDecision.allowed(2, 0, 29)
                            : now == T0 + 2 ? RateLimitDecision.denied(2, 28)
                            : RateLimitDecision.allowed(2, 0, 1); // T0 has left the window, T0 + 1 has not
                    assertThat(decision.join().decision()).as("at %d", now).isEqualTo(expected);
                }
            }
            Set<String> shards = new HashSet<>();
            for (int i = 0; i < IDENTITIES; i++) {
                shards.add(store.shardFor("user-" + i));
            }
            assertThat(shards).containsExactlyInAnyOrderElementsOf(cluster.uris());
            for (RedisServer node : cluster.nodes()) {
                assertThat((Long) node.call("DBSIZE")).as(node.toString()).isGreaterThan(IDENTITIES / 6L);
            }
        }
    }
}
