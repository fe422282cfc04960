package io.edgegateway.filters.ratelimit.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgegateway.config.Algorithm;
import io.edgegateway.config.Quota;
import io.edgegateway.filters.ratelimit.LocalRateLimiter;
import io.edgegateway.filters.ratelimit.RateLimitDecision;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code rate-limit.local.max-identities}: a store never holds more identities than its budget; a
 * new identity then takes the place of one not used lately, so identities in use keep their counts,
 * and long identities are kept as their digest.
 */
class MaxIdentitiesTest {

    private static final Quota THOUSAND_PER_MINUTE = new Quota(1_000, Duration.ofSeconds(60));
    private static final long NOW = 1_000_000;

    private static LocalRateLimiter limiter(Algorithm algorithm, IdentityBudget budget) {
        return LocalLimiters.create(algorithm, THOUSAND_PER_MINUTE, budget);
    }

    @ParameterizedTest
    @EnumSource(Algorithm.class)
    void aLongIdentityIsOneIdentityAndOneLastByteMakesAnother(Algorithm algorithm) {
        LocalRateLimiter limiter = limiter(algorithm, IdentityBudget.of(100));
        String key = "route:" + "k".repeat(12_000);

        assertThat(limiter.decide(key, NOW).remaining()).isEqualTo(999);
        assertThat(limiter.decide(new String(key.toCharArray()), NOW).remaining()).isEqualTo(998);
        assertThat(limiter.decide(key + "x", NOW).remaining()).isEqualTo(999);
        assertThat(limiter.decide(key + "y", NOW).remaining()).isEqualTo(999);
        assertThat(limiter.size()).isEqualTo(3);
    }

    @ParameterizedTest
    @EnumSource(Algorithm.class)
    void theBoundHoldsAndEachNewIdentityBeyondItEvictsOne(Algorithm algorithm) {
        IdentityBudget budget = IdentityBudget.of(100);
        LocalRateLimiter limiter = limiter(algorithm, budget);

        for (int i = 0; i < 5_000; i++) {
            assertThat(limiter.decide("flood-" + i, NOW).allowed()).isTrue();
            assertThat(limiter.size()).isLessThanOrEqualTo(100);
            assertThat(budget.held()).isLessThanOrEqualTo(100);
        }
        assertThat(limiter.size()).isEqualTo(100);
        assertThat(budget.held()).isEqualTo(100);
        assertThat(budget.evicted()).isEqualTo(4_900);
    }

    @ParameterizedTest
    @EnumSource(Algorithm.class)
    void identitiesInUseSurviveAFloodOfNewOnes(Algorithm algorithm) {
        LocalRateLimiter limiter = limiter(algorithm, IdentityBudget.of(1_000));
        int regulars = 20;
        long[] remaining = new long[regulars];
        int flood = 0;
        for (int round = 0; round < 40; round++) {
            for (int r = 0; r < regulars; r++) {
                RateLimitDecision decision = limiter.decide("regular-" + r, NOW);
                // A regular that had been evicted would start again with 999 remaining.
                assertThat(decision.remaining()).as("regular-%d in round %d", r, round).isEqualTo(999 - round);
                remaining[r] = decision.remaining();
            }
            for (int i = 0; i < 250; i++) {
                limiter.decide("flood-" + flood++, NOW);
            }
            assertThat(limiter.size()).isLessThanOrEqualTo(1_000);
        }
        assertThat(remaining).containsOnly(999 - 39);
    }

    @ParameterizedTest
    @EnumSource(Algorithm.class)
    void aFloodOnOneQuotaTakesItsRoomFromThatQuota(Algorithm algorithm) {
        try (LocalRateLimitStore store = new LocalRateLimitStore(algorithm, () -> NOW, IdentityBudget.of(500))) {
            Quota quiet = new Quota(3, Duration.ofSeconds(60));
            for (int i = 0; i < 5; i++) {
                assertThat(decide(store, "quiet:" + i, quiet).remaining()).isEqualTo(2);
            }
            for (int i = 0; i < 10_000; i++) {
                decide(store, "flooded:" + i, THOUSAND_PER_MINUTE);
            }
            assertThat(store.size()).isEqualTo(500);
            // Not used during the flood, yet remembered: the flooded quota's stripes held more than their share.
            for (int i = 0; i < 5; i++) {
                assertThat(decide(store, "quiet:" + i, quiet).remaining()).as("quiet:%d", i).isEqualTo(1);
            }
        }
    }

    @Test
    void idleEvictionGivesPlacesBack() {
        IdentityBudget budget = IdentityBudget.of(10);
        LocalRateLimiter log = limiter(Algorithm.SLIDING_LOG, budget);
        LocalRateLimiter bucket = limiter(Algorithm.TOKEN_BUCKET, budget);
        for (int i = 0; i < 5; i++) {
            log.decide("log-" + i, NOW);
            bucket.decide("bucket-" + i, NOW);
        }
        assertThat(budget.held()).isEqualTo(10);

        log.evictIdle(NOW + 61);
        bucket.evictIdle(NOW + 61);

        assertThat(budget.held()).isZero();
        assertThat(log.size() + bucket.size()).isZero();
        assertThat(budget.evicted()).isZero();
    }

    @Test
    void autoAllowsOneIdentityPerKibOfHeap() {
        assertThat(IdentityBudget.maxForHeap(64L << 20)).isEqualTo(65_536);
        assertThat(IdentityBudget.maxForHeap(256L << 20)).isEqualTo(262_144);
        assertThat(IdentityBudget.maxForHeap(1L << 50)).isEqualTo(Integer.MAX_VALUE);
        assertThat(IdentityBudget.forHeap().max()).isEqualTo(IdentityBudget.maxForHeap(Runtime.getRuntime().maxMemory()));
    }

    private static RateLimitDecision decide(LocalRateLimitStore store, String key, Quota quota) {
        CompletableFuture<RateLimitDecision> decision = store.decide(key, quota).toCompletableFuture();
        assertThat(decision).isDone();
        return decision.join();
    }
}
