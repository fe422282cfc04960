package io.edgegateway.filters.ratelimit.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.edgegateway.config.Algorithm;
import io.edgegateway.config.Quota;
import io.edgegateway.filters.ratelimit.RateLimitDecision;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class LocalRateLimitStoreTest {

    private static final Quota TWO_PER_TEN_SECONDS = new Quota(2, Duration.ofSeconds(10));
    private static final Quota FIVE_PER_MINUTE = new Quota(5, Duration.ofSeconds(60));

    private final AtomicLong clock = new AtomicLong(1_000);

    private static RateLimitDecision completed(java.util.concurrent.CompletionStage<RateLimitDecision> stage) {
        CompletableFuture<RateLimitDecision> future = stage.toCompletableFuture();
        assertThat(future).isDone();
        return future.join();
    }

    @Test
    void decidesAtOnceWithTheGivenClock() {
        try (LocalRateLimitStore store = new LocalRateLimitStore(Algorithm.SLIDING_LOG, clock::get)) {
            assertThat(completed(store.decide("alice", TWO_PER_TEN_SECONDS))).isEqualTo(RateLimitDecision.allowed(2, 1, 10));
            assertThat(completed(store.decide("alice", TWO_PER_TEN_SECONDS))).isEqualTo(RateLimitDecision.allowed(2, 0, 10));
            clock.addAndGet(9);
            assertThat(completed(store.decide("alice", TWO_PER_TEN_SECONDS))).isEqualTo(RateLimitDecision.denied(2, 1));
            clock.addAndGet(1);
            assertThat(completed(store.decide("alice", TWO_PER_TEN_SECONDS)).allowed()).isTrue();
        }
    }

    @Test
    void eachQuotaCountsOnItsOwn() {
        try (LocalRateLimitStore store = new LocalRateLimitStore(Algorithm.SLIDING_LOG, clock::get)) {
            completed(store.decide("alice", TWO_PER_TEN_SECONDS));
            completed(store.decide("alice", TWO_PER_TEN_SECONDS));

            assertThat(completed(store.decide("alice", TWO_PER_TEN_SECONDS)).allowed()).isFalse();
            assertThat(completed(store.decide("alice", FIVE_PER_MINUTE))).isEqualTo(RateLimitDecision.allowed(5, 4, 60));
            assertThat(completed(store.decide("alice", new Quota(2, Duration.ofSeconds(10)))).allowed()).isFalse();
            assertThat(store.size()).isEqualTo(2);
        }
    }

    @Test
    void decidesWithTheConfiguredAlgorithm() {
        try (LocalRateLimitStore store = new LocalRateLimitStore(Algorithm.TOKEN_BUCKET, clock::get)) {
            // A token bucket's reset is the time to the next token: 10 s / 2 tokens.
            assertThat(completed(store.decide("alice", TWO_PER_TEN_SECONDS))).isEqualTo(RateLimitDecision.allowed(2, 1, 5));
        }
        assertThat(LocalLimiters.create(Algorithm.SLIDING_LOG, FIVE_PER_MINUTE)).isInstanceOf(SlidingLogLimiter.class);
        assertThat(LocalLimiters.create(Algorithm.SLIDING_WINDOW, FIVE_PER_MINUTE)).isInstanceOf(SlidingWindowLimiter.class);
        assertThat(LocalLimiters.create(Algorithm.TOKEN_BUCKET, FIVE_PER_MINUTE)).isInstanceOf(TokenBucketLimiter.class);
    }

    @Test
    void evictIdleForgetsIdleIdentitiesOfEveryQuota() {
        try (LocalRateLimitStore store = new LocalRateLimitStore(Algorithm.SLIDING_LOG, clock::get)) {
            completed(store.decide("alice", TWO_PER_TEN_SECONDS));
            completed(store.decide("bob", FIVE_PER_MINUTE));
            clock.addAndGet(11);
            store.evictIdle();
            assertThat(store.size()).isEqualTo(1);
            clock.addAndGet(50);
            store.evictIdle();
            assertThat(store.size()).isZero();
        }
    }

    @Test
    void evictsPeriodicallyOnItsOwnThread() {
        try (LocalRateLimitStore store = new LocalRateLimitStore(Algorithm.SLIDING_WINDOW, clock::get, IdentityBudget.of(100),
                Duration.ofMillis(20))) {
            completed(store.decide("alice", TWO_PER_TEN_SECONDS));
            assertThat(store.size()).isEqualTo(1);
            clock.addAndGet(20);
            await().atMost(Duration.ofSeconds(10)).until(() -> store.size() == 0);
        }
    }

    @Test
    void closeStopsTheEvictionThread() {
        LocalRateLimitStore store = new LocalRateLimitStore(Algorithm.SLIDING_LOG);
        assertThat(completed(store.decide("alice", FIVE_PER_MINUTE)).allowed()).isTrue();
        store.close();
        await().atMost(Duration.ofSeconds(10)).until(store::isClosed);
    }
}
