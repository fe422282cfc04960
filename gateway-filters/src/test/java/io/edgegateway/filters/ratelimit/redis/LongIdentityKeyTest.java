package io.edgegateway.filters.ratelimit.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgegateway.config.Algorithm;
import io.edgegateway.config.Quota;
import io.edgegateway.config.StoreType;
import io.edgegateway.filters.identity.BoundedIdentity;
import io.edgegateway.filters.metrics.GatewayMetrics;
import io.edgegateway.filters.ratelimit.BoundedKey;
import io.edgegateway.filters.ratelimit.RateLimitDecision;
import io.edgegateway.testkit.RedisServer;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Two stores, as two gateways would have, on one real redis-server: a 12,000-character identity
 * (or a long key from a library caller) is kept under a key of bounded length that both compute
 * alike, so they count it together.
 */
class LongIdentityKeyTest {

    private static final long T0 = 1_700_000_000L;
    private static final Quota QUOTA = new Quota(4, Duration.ofSeconds(60));
    private static final String LONG_KEY = "users:" + "k".repeat(12_000);

    private static RedisServer redis;

    @BeforeAll
    static void start() {
        redis = RedisServer.launch();
    }

    @AfterAll
    static void stop() {
        redis.close();
    }

    @BeforeEach
    void flush() {
        redis.call("FLUSHALL");
    }

    private static RedisRateLimitStore store(Algorithm algorithm) {
        return RedisRateLimitStore.create(ShardedStoreTest.config(redis), StoreType.REDIS, algorithm, new GatewayMetrics(), 1);
    }

    private static RateLimitDecision decide(RedisRateLimitStore store, String key) {
        return store.decideAt(key, QUOTA, T0).toCompletableFuture().join().decision();
    }

    @ParameterizedTest
    @EnumSource(Algorithm.class)
    void twoGatewaysCountALongIdentityUnderOneShortKey(Algorithm algorithm) {
        try (RedisRateLimitStore first = store(algorithm); RedisRateLimitStore second = store(algorithm)) {
            assertThat(decide(first, LONG_KEY).remaining()).isEqualTo(3);
            assertThat(decide(second, new String(LONG_KEY.toCharArray())).remaining()).isEqualTo(2);
            assertThat(decide(first, LONG_KEY).remaining()).isEqualTo(1);
            assertThat(decide(second, LONG_KEY).remaining()).isEqualTo(0);
            assertThat(decide(first, LONG_KEY).allowed()).isFalse();
            // One byte more at the end is someone else.
            assertThat(decide(second, LONG_KEY + "x").remaining()).isEqualTo(3);

            @SuppressWarnings("unchecked")
            List<String> keys = (List<String>) (List<?>) redis.call("KEYS", "*");
            assertThat(keys).containsExactlyInAnyOrder(
                    "rl:{" + BoundedKey.of(LONG_KEY) + "}", "rl:{" + BoundedKey.of(LONG_KEY + "x") + "}");
            assertThat(keys).allSatisfy(key -> assertThat(key).hasSize("rl:{}".length() + 44));
            assertThat(first.shardFor(LONG_KEY)).isEqualTo(second.shardFor(LONG_KEY));
        }
    }

    @ParameterizedTest
    @EnumSource(Algorithm.class)
    void theGatewaysKeyForALongIdentityIsTheRouteAndTheIdentitysDigest(Algorithm algorithm) {
        // What two gateways' rate-limit filters build for one 12,000-character API key.
        String identity = "k".repeat(12_000);
        String onFirst = "users:" + BoundedIdentity.of(identity);
        String onSecond = "users:" + BoundedIdentity.of(new String(identity.toCharArray()));
        try (RedisRateLimitStore first = store(algorithm); RedisRateLimitStore second = store(algorithm)) {
            assertThat(decide(first, onFirst).remaining()).isEqualTo(3);
            assertThat(decide(second, onSecond).remaining()).isEqualTo(2);

            assertThat(redis.call("KEYS", "*")).isEqualTo(List.of("rl:{users:" + BoundedIdentity.of(identity) + "}"));
            assertThat(LimiterScript.redisKey(onFirst)).hasSize("rl:{users:}".length() + 44);
        }
    }

    @ParameterizedTest
    @EnumSource(Algorithm.class)
    void aShortIdentityKeepsItsReadableKey(Algorithm algorithm) {
        try (RedisRateLimitStore store = store(algorithm)) {
            decide(store, "users:alice");

            assertThat(redis.call("EXISTS", "rl:{users:alice}")).isEqualTo(1L);
            assertThat(LimiterScript.redisKey("users:" + "a".repeat(BoundedKey.HASH_ABOVE - 6)))
                    .hasSize("rl:{}".length() + BoundedKey.HASH_ABOVE);
        }
    }
}
