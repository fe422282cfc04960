package io.edgegateway.filters.ratelimit.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.edgegateway.config.Algorithm;
import io.edgegateway.config.Quota;
import io.edgegateway.config.StoreType;
import io.edgegateway.filters.metrics.GatewayMetrics;
import io.edgegateway.filters.ratelimit.RateLimitDecision;
import io.edgegateway.testkit.RedisServer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/** A shard killed with SIGKILL: its identities fail fast, its breaker opens, and it recovers on restart. */
class ShardFailureTest {

    private static final Quota QUOTA = new Quota(1_000, Duration.ofSeconds(60));

    @Test
    void aKilledShardFailsFastOpensItsBreakerAndClosesItOnceBack() {
        GatewayMetrics metrics = new GatewayMetrics();
        try (RedisServer healthy = RedisServer.launch();
                RedisServer doomed = RedisServer.launch();
                RedisRateLimitStore store = RedisRateLimitStore.create(
                        ShardedStoreTest.config(healthy, doomed), StoreType.REDIS, Algorithm.SLIDING_LOG, metrics, 1)) {
            String onDoomed = identityOn(store, doomed.uri());
            String onHealthy = identityOn(store, healthy.uri());
            assertThat(join(store, onDoomed).allowed()).isTrue();
            assertThat(join(store, onHealthy).allowed()).isTrue();

            doomed.kill();
            int failures = 0;
            while (store.circuitStateFor(onDoomed) == CircuitState.CLOSED) {
                assertThatThrownBy(() -> join(store, onDoomed)).isInstanceOf(CompletionException.class)
                        .hasCauseInstanceOf(StoreUnavailableException.class);
                failures++;
                assertThat(failures).as("failures before the breaker opened").isLessThanOrEqualTo(3);
            }
            assertThat(store.circuitStateFor(onDoomed)).isEqualTo(CircuitState.OPEN);

            // Open: the stage is already failed when decide returns, no I/O, no timeout.
            CompletableFuture<RateLimitDecision> rejected = store.decide(onDoomed, QUOTA).toCompletableFuture();
            assertThat(rejected).isCompletedExceptionally();
            assertThatThrownBy(rejected::join).cause().isInstanceOf(StoreUnavailableException.class)
                    .extracting(cause -> ((StoreUnavailableException) cause).errorType()).isEqualTo("circuit_open");
            assertThat(metrics.rateLimitStoreErrors.labels(doomed.uri(), "circuit_open").get()).isGreaterThanOrEqualTo(1);
            assertThat(metrics.rateLimitCircuitState.labels(doomed.uri()).get()).isEqualTo(1);
            // The other shard is unaffected.
            assertThat(join(store, onHealthy).allowed()).isTrue();

            doomed.start();
            await("the probe to succeed after open-for").atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(50))
                    .ignoreExceptions()
                    .until(() -> join(store, onDoomed).allowed());
            assertThat(store.circuitStateFor(onDoomed)).isEqualTo(CircuitState.CLOSED);
            assertThat(metrics.rateLimitCircuitState.labels(doomed.uri()).get()).isEqualTo(0);
        }
    }

    private static RateLimitDecision join(RedisRateLimitStore store, String identity) {
        return store.decide(identity, QUOTA).toCompletableFuture().join();
    }

    private static String identityOn(RedisRateLimitStore store, String shard) {
        for (int i = 0; ; i++) {
            if (store.shardFor("user-" + i).equals(shard)) {
                return "user-" + i;
            }
        }
    }
}
