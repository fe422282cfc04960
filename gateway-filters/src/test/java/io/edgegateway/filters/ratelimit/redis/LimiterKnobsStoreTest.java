package io.edgegateway.filters.ratelimit.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgegateway.config.Algorithm;
import io.edgegateway.config.Quota;
import io.edgegateway.config.StoreType;
import io.edgegateway.filters.metrics.GatewayMetrics;
import io.edgegateway.filters.ratelimit.RateLimitDecision;
import io.edgegateway.testkit.RedisServer;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * resolution, burst and block-for at their edges, through two stores (two gateways) on one real
 * redis-server with an injected clock in milliseconds; and the denial cache against a store without
 * one.
 */
class LimiterKnobsStoreTest {

    private static final long T0 = 1_700_000_000_000L;

    private static RedisServer redis;
    private static RedisRateLimitStore gatewayA;
    private static RedisRateLimitStore gatewayB;

    @BeforeAll
    static void start() {
        redis = RedisServer.launch();
        gatewayA = RedisRateLimitStore.create(ShardedStoreTest.config(redis), StoreType.REDIS, Algorithm.SLIDING_LOG,
                new GatewayMetrics(), 1);
        gatewayB = RedisRateLimitStore.create(ShardedStoreTest.config(redis), StoreType.REDIS, Algorithm.SLIDING_LOG,
                new GatewayMetrics(), 1);
    }

    @AfterAll
    static void stop() {
        gatewayA.close();
        gatewayB.close();
        redis.close();
    }

    private static RateLimitDecision at(RedisRateLimitStore store, String id, Quota quota, long millis) {
        return store.decideAtMillis(id, quota, T0 + millis).toCompletableFuture().join().decision();
    }

    @Test
    void tenPerSecondAtHundredMillisIsNoFixedSecond() {
        Quota quota = new Quota(10, Duration.ofSeconds(1), Duration.ofMillis(100));
        for (int i = 0; i < 10; i++) {
            assertThat(at(gatewayA, "fine", quota, 900).allowed()).isTrue();
        }
        // A fixed one-second window would let ten more through at 1000ms.
        assertThat(at(gatewayB, "fine", quota, 1_000)).isEqualTo(RateLimitDecision.deniedMillis(10, 900));
        assertThat(at(gatewayB, "fine", quota, 1_899)).isEqualTo(RateLimitDecision.deniedMillis(10, 1));
        assertThat(at(gatewayB, "fine", quota, 1_900).allowed()).isTrue();
        assertThat(RateLimitDecision.deniedMillis(10, 900).resetSeconds()).isEqualTo(1);
    }

    @Test
    void aBurstIsPaidBackInTheNextWindow() {
        Quota quota = new Quota(10, Duration.ofSeconds(1), Duration.ofSeconds(1), 1.5, Duration.ZERO);
        for (int i = 0; i < 15; i++) {
            assertThat(at(i % 2 == 0 ? gatewayA : gatewayB, "burst", quota, 0).allowed()).as("#%d", i).isTrue();
        }
        assertThat(at(gatewayA, "burst", quota, 999)).isEqualTo(RateLimitDecision.deniedMillis(10, 1));
        // In the next window only 20 - 15 are left: 20 per 2 windows.
        for (int i = 0; i < 5; i++) {
            assertThat(at(gatewayB, "burst", quota, 1_000).allowed()).as("second window #%d", i).isTrue();
        }
        assertThat(at(gatewayB, "burst", quota, 1_500)).isEqualTo(RateLimitDecision.deniedMillis(10, 500));
        // Once the burst's second leaves the two-window span, 20 - 5 fit again, all 15 of a burst.
        for (int i = 0; i < 15; i++) {
            assertThat(at(gatewayA, "burst", quota, 2_000).allowed()).as("third window #%d", i).isTrue();
        }
        assertThat(at(gatewayA, "burst", quota, 2_000).allowed()).isFalse();
    }

    @Test
    void aSecondDenialWithinAWindowBlocksOnEveryGateway() {
        Quota quota = new Quota(2, Duration.ofSeconds(10), Duration.ofSeconds(1), 1, Duration.ofSeconds(60));
        assertThat(at(gatewayA, "blocked", quota, 0).allowed()).isTrue();
        assertThat(at(gatewayA, "blocked", quota, 0).allowed()).isTrue();
        assertThat(at(gatewayA, "blocked", quota, 1_000)).isEqualTo(RateLimitDecision.deniedMillis(2, 9_000));
        // The second denial, 8999ms after the first (on the other gateway): blocked for 60s from then.
        assertThat(at(gatewayB, "blocked", quota, 9_999)).isEqualTo(RateLimitDecision.deniedMillis(2, 60_000));
        // The log has room again at 10s, but the block holds on both gateways until 69.999s.
        assertThat(at(gatewayA, "blocked", quota, 10_000)).isEqualTo(RateLimitDecision.deniedMillis(2, 59_999));
        assertThat(at(gatewayB, "blocked", quota, 69_998)).isEqualTo(RateLimitDecision.deniedMillis(2, 1));
        assertThat(at(gatewayB, "blocked", quota, 69_999).allowed()).isTrue();
    }

    @Test
    void denialsAWindowApartDoNotBlock() {
        Quota quota = new Quota(2, Duration.ofSeconds(10), Duration.ofSeconds(1), 1, Duration.ofSeconds(60));
        at(gatewayA, "apart", quota, 0);
        at(gatewayA, "apart", quota, 0);
        assertThat(at(gatewayA, "apart", quota, 1_000).resetMillis()).isEqualTo(9_000);
        assertThat(at(gatewayB, "apart", quota, 10_000).allowed()).isTrue();
        assertThat(at(gatewayB, "apart", quota, 10_000).allowed()).isTrue();
        // Exactly one window after the first denial: a denial again, but not a block.
        assertThat(at(gatewayB, "apart", quota, 11_000)).isEqualTo(RateLimitDecision.deniedMillis(2, 9_000));
        assertThat(at(gatewayA, "apart", quota, 11_001)).isEqualTo(RateLimitDecision.deniedMillis(2, 60_000));
    }

    /**
     * One identity through a store with the cache, its twin through the same store without: every
     * decision agrees (so the cache never allows what Redis denies, nor denies what it allows),
     * and the cached one makes far fewer script calls.
     */
    @Test
    void theDenialCacheAnswersAsRedisWouldWithFewerCalls() {
        Quota quota = new Quota(5, Duration.ofSeconds(1), Duration.ofMillis(100), 1, Duration.ofSeconds(3));
        RedisRateLimitStore uncached = gatewayB.withoutDenialCache();
        Random random = new Random(7);
        long now = 0;
        long before = DecisionBatchingTest.commandCalls(redis, "cmdstat_evalsha");
        int denied = 0;
        for (int i = 0; i < 3_000; i++) {
            now += random.nextInt(10) < 8 ? 0 : random.nextInt(120);
            RateLimitDecision reference = at(uncached, "twin-uncached", quota, now);
            RateLimitDecision cached = at(gatewayB, "twin-cached", quota, now);
            assertThat(cached).as("#%d at %dms", i, now).isEqualTo(reference);
            denied += reference.allowed() ? 0 : 1;
        }
        long calls = DecisionBatchingTest.commandCalls(redis, "cmdstat_evalsha") - before;
        long cachedCalls = calls - 3_000;
        System.out.printf("denial cache: %d denials of 3000, %d script calls with the cache%n", denied, cachedCalls);
        assertThat(denied).isGreaterThan(1_500);
        assertThat(cachedCalls).isLessThan(3_000 - denied / 2);
    }
}
