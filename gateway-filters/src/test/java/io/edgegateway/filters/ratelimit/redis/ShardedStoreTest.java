package io.edgegateway.filters.ratelimit.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgegateway.config.Algorithm;
import io.edgegateway.config.CircuitBreakerConfig;
import io.edgegateway.config.Quota;
import io.edgegateway.config.RedisConfig;
import io.edgegateway.config.StoreType;
import io.edgegateway.filters.metrics.GatewayMetrics;
import io.edgegateway.filters.ratelimit.RateLimitDecision;
import io.edgegateway.filters.ratelimit.RateLimiter;
import io.edgegateway.testkit.RedisServer;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The store over two real redis-servers, sharded by consistent hashing. */
class ShardedStoreTest {

    private static final long T0 = 1_700_000_000L;
    private static final Quota QUOTA = new Quota(3, Duration.ofSeconds(60));

    private static RedisServer first;
    private static RedisServer second;
    private static RedisRateLimitStore store;

    @BeforeAll
    static void start() {
        first = RedisServer.launch();
        second = RedisServer.launch();
        store = RedisRateLimitStore.create(config(first, second), StoreType.REDIS, Algorithm.SLIDING_LOG,
                new GatewayMetrics(), 2);
    }

    @AfterAll
    static void stop() {
        store.close();
        first.close();
        second.close();
    }

    static RedisConfig config(RedisServer... servers) {
        return config(Duration.ofMillis(500), servers);
    }

    static RedisConfig config(Duration commandTimeout, RedisServer... servers) {
        return new RedisConfig(
                List.of(servers).stream().map(server -> URI.create(server.uri())).toList(),
                List.of(),
                commandTimeout,
                new CircuitBreakerConfig(3, Duration.ofMillis(300)));
    }

    private static RateLimitDecision decideAt(String identity, long now) {
        return store.decideAt(identity, QUOTA, now).toCompletableFuture().join().decision();
    }

    @Test
    void decidesPerIdentityOnTheShardTheRingNames() {
        Map<String, RedisServer> byLabel = Map.of(first.uri(), first, second.uri(), second);
        int onFirst = 0;
        for (int i = 0; i < 200; i++) {
            String identity = "placed-" + i;
            assertThat(decideAt(identity, T0)).isEqualTo(RateLimitDecision.allowed(3, 2, 0));
            assertThat(decideAt(identity, T0)).isEqualTo(RateLimitDecision.allowed(3, 1, 0));
            assertThat(decideAt(identity, T0 + 1)).isEqualTo(RateLimitDecision.allowed(3, 0, 59));
            assertThat(decideAt(identity, T0 + 2)).isEqualTo(RateLimitDecision.denied(3, 58));

            RedisServer owner = byLabel.get(store.shardFor(identity));
            RedisServer other = owner == first ? second : first;
            assertThat(owner.call("EXISTS", LimiterScript.redisKey(identity))).as(identity).isEqualTo(1L);
            assertThat(other.call("EXISTS", LimiterScript.redisKey(identity))).as(identity).isEqualTo(0L);
            onFirst += owner == first ? 1 : 0;
        }
        assertThat(onFirst).isBetween(50, 150);
    }

    @Test
    void recoversFromNoscriptAfterAFlush() {
        assertThat(decideAt("flushed", T0).remaining()).isEqualTo(2);
        first.call("SCRIPT", "FLUSH");
        second.call("SCRIPT", "FLUSH");
        assertThat(decideAt("flushed", T0).remaining()).isEqualTo(1);
        assertThat(decideAt("flushed", T0).remaining()).isEqualTo(0);
        RedisServer owner = store.shardFor("flushed").equals(first.uri()) ? first : second;
        assertThat(owner.call("SCRIPT", "EXISTS", LimiterScript.SLIDING_LOG.sha1())).isEqualTo(List.of(1L));
    }

    @Test
    void decidesOnRedisClockByDefault() {
        long before = System.currentTimeMillis() / 1000;
        TimedDecision decision = store.decideTimed("clock", QUOTA).toCompletableFuture().join();
        long after = System.currentTimeMillis() / 1000;
        assertThat(decision.decision().allowed()).isTrue();
        assertThat(decision.second()).isBetween(before, after);
        assertThat(store.decide("clock", QUOTA).toCompletableFuture().join().remaining()).isEqualTo(1);
    }

    @Test
    void offersTheSeedsShape() {
        RateLimiter limiter = store.limiter(new Quota(2, Duration.ofSeconds(10)));
        assertThat(limiter.allowRequest("seed", 100)).isTrue();
        assertThat(limiter.allowRequest("seed", 100)).isTrue();
        assertThat(limiter.allowRequest("seed", 109)).isFalse();
        assertThat(limiter.allowRequest("seed", 110)).isTrue();
    }
}
