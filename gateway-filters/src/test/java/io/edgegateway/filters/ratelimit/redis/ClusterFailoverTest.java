package io.edgegateway.filters.ratelimit.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

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
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/**
 * {@code store = redis-cluster} through a failover on three primaries with a replica each: a
 * primary is killed, its identities fail fast behind its breaker while the others are decided as
 * before, and once a replica is promoted their counts are found on it.
 *
 * <p>The nodes run with {@code cluster-require-full-coverage no}, as a limiter's cluster should:
 * with the default, every node refuses writes ({@code CLUSTERDOWN}) from the moment the cluster
 * agrees the primary failed until its replica is promoted.
 */
class ClusterFailoverTest {

    private static final long T0 = 1_700_000_000L;
    private static final Quota QUOTA = new Quota(2, Duration.ofSeconds(60));
    private static final int IDENTITIES = 60;
    private static final RateLimitDecision USED_UP = RateLimitDecision.denied(2, 57);

    @Test
    void decisionsResumeOnThePromotedReplicaWithTheCountsSoFar() {
        GatewayMetrics metrics = new GatewayMetrics();
        try (RedisCluster cluster = RedisCluster.start(3, 1);
                RedisRateLimitStore store = RedisRateLimitStore.create(
                        new RedisConfig(List.of(), cluster.uris().stream().map(URI::create).toList(), Duration.ofSeconds(2),
                                new CircuitBreakerConfig(3, Duration.ofMillis(200))),
                        StoreType.REDIS_CLUSTER, Algorithm.SLIDING_LOG, metrics, 1)) {
            cluster.nodes().forEach(node -> node.call("CONFIG", "SET", "cluster-require-full-coverage", "no"));
            List<String> identities = new ArrayList<>();
            for (int i = 0; i < IDENTITIES; i++) {
                String identity = "user-" + i;
                identities.add(identity);
                assertThat(decide(store, identity, T0)).isEqualTo(RateLimitDecision.allowed(2, 1, 0));
                assertThat(decide(store, identity, T0 + 1)).isEqualTo(RateLimitDecision.allowed(2, 0, 59));
                assertThat(decide(store, identity, T0 + 2)).isEqualTo(RateLimitDecision.denied(2, 58));
            }
            RedisServer doomed = cluster.primaryOf(LimiterScript.redisKey("user-0"));
            List<RedisServer> candidates = cluster.replicasOf(doomed);
            assertThat(candidates).hasSize(1);
            List<String> onDoomed = identities.stream()
                    .filter(identity -> cluster.primaryOf(LimiterScript.redisKey(identity)) == doomed).toList();
            List<String> elsewhere = identities.stream().filter(identity -> !onDoomed.contains(identity)).toList();
            assertThat(onDoomed).isNotEmpty()
                    .allSatisfy(identity -> assertThat(store.shardFor(identity)).isEqualTo(doomed.uri()));
            assertThat(elsewhere).isNotEmpty();
            cluster.awaitReplicated();

            doomed.kill();
            // Lettuce rejects commands for the dead node at once; the node's breaker opens after three failures.
            String first = onDoomed.get(0);
            int failures = 0;
            while (store.circuitStateFor(first) == CircuitState.CLOSED) {
                assertThatThrownBy(() -> decide(store, first, T0 + 3)).isInstanceOf(CompletionException.class)
                        .hasCauseInstanceOf(StoreUnavailableException.class);
                failures++;
                assertThat(failures).as("failures before the breaker opened").isLessThanOrEqualTo(3);
            }
            assertThatThrownBy(() -> decide(store, first, T0 + 3)).cause().isInstanceOf(StoreUnavailableException.class)
                    .extracting(cause -> ((StoreUnavailableException) cause).errorType()).isEqualTo("circuit_open");
            assertThat(metrics.rateLimitStoreErrors.labels(doomed.uri(), "connection").get()).isGreaterThanOrEqualTo(1);
            assertThat(metrics.rateLimitCircuitState.labels(doomed.uri()).get()).isEqualTo(1);

            await("a replica promoted, while the other primaries keep deciding")
                    .atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                    .until(() -> {
                        for (String identity : elsewhere) {
                            assertThat(decide(store, identity, T0 + 3)).as(identity).isEqualTo(USED_UP);
                        }
                        return cluster.primaryOf(LimiterScript.redisKey(first)) != doomed;
                    });
            cluster.awaitHealthy();
            RedisServer promoted = cluster.primaryOf(LimiterScript.redisKey(first));
            assertThat(candidates).containsExactly(promoted);
            // Lettuce's reconnect attempts to the dead node keep refreshing its slot map until it has the promotion.
            await("the store's slot map to have the promoted replica").atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(10))
                    .until(() -> store.shardFor(first).equals(promoted.uri()));

            // All at once, as under load: none is rejected while the connection to the promoted replica opens.
            List<CompletableFuture<TimedDecision>> onPromoted = new ArrayList<>();
            List<CompletableFuture<TimedDecision>> fresh = new ArrayList<>();
            for (String identity : onDoomed) {
                onPromoted.add(store.withoutDenialCache().decideAt(identity, QUOTA, T0 + 3).toCompletableFuture());
                fresh.add(store.withoutDenialCache().decideAt("new-" + identity, QUOTA, T0 + 3).toCompletableFuture());
            }
            // The promoted replica had every count: whoever used up the quota before is still denied.
            for (int i = 0; i < onDoomed.size(); i++) {
                assertThat(onPromoted.get(i).join().decision()).as(onDoomed.get(i)).isEqualTo(USED_UP);
                assertThat(fresh.get(i).join().decision()).isEqualTo(RateLimitDecision.allowed(2, 1, 0));
            }
            for (String identity : elsewhere) {
                assertThat(decide(store, identity, T0 + 3)).as(identity).isEqualTo(USED_UP);
            }
            for (String identity : onDoomed) {
                assertThat(store.shardFor(identity)).isEqualTo(promoted.uri());
            }
            assertThat(store.circuitStateFor(first)).isEqualTo(CircuitState.CLOSED);
            assertThat(metrics.rateLimitStoreErrors.labels(promoted.uri(), "connection").get()).isZero();
            // The dead primary's shard is forgotten: its circuit gauge does not stay open for good.
            await("the replaced primary's circuit gauge removed").atMost(Duration.ofSeconds(30))
                    .until(() -> metrics.registry().getSampleValue("gateway_ratelimit_circuit_state",
                            new String[] {"shard"}, new String[] {doomed.uri()}) == null);
        }
    }

    /**
     * Asks Redis itself: the store's denial cache would answer a denied identity without a call, and
     * this test is about the calls.
     */
    private static RateLimitDecision decide(RedisRateLimitStore store, String identity, long now) {
        return store.withoutDenialCache().decideAt(identity, QUOTA, now).toCompletableFuture().join().decision();
    }
}
