package io.edgegateway.filters.ratelimit.local;

import static io.edgegateway.filters.ratelimit.local.LimiterFixture.allowedOf;
import static io.edgegateway.filters.ratelimit.local.LimiterFixture.quota;
import static org.assertj.core.api.Assertions.assertThat;

import io.edgegateway.filters.ratelimit.RateLimitDecision;
import org.junit.jupiter.api.Test;

class TokenBucketLimiterTest {

    private static TokenBucketLimiter limiter(long requests, long windowSeconds) {
        return new TokenBucketLimiter(quota(requests, windowSeconds));
    }

    @Test
    void aBurstOfNThenOneTokenPerTOverNSeconds() {
        TokenBucketLimiter limiter = limiter(5, 10);
        assertThat(limiter.decide("alice", 100)).isEqualTo(RateLimitDecision.allowed(5, 4, 2));
        assertThat(allowedOf(limiter, "alice", 100, 10)).isEqualTo(4);
        assertThat(limiter.decide("alice", 100)).isEqualTo(RateLimitDecision.denied(5, 2));
        assertThat(limiter.allowRequest("alice", 101)).isFalse();
        assertThat(limiter.decide("alice", 102)).isEqualTo(RateLimitDecision.allowed(5, 0, 2));
        assertThat(limiter.allowRequest("bob", 102)).isTrue();
    }

    @Test
    void fractionsOfTokensAreKept() {
        TokenBucketLimiter limiter = limiter(3, 2);
        assertThat(allowedOf(limiter, "alice", 0, 3)).isEqualTo(3);
        // 1.5 tokens a second: one request now, half a token left over.
        assertThat(allowedOf(limiter, "alice", 1, 5)).isEqualTo(1);
        assertThat(allowedOf(limiter, "alice", 2, 5)).isEqualTo(2);
        assertThat(allowedOf(limiter, "alice", 3, 5)).isEqualTo(1);
    }

    @Test
    void theBucketNeverHoldsMoreThanN() {
        TokenBucketLimiter limiter = limiter(3, 10);
        limiter.allowRequest("alice", 0);
        assertThat(allowedOf(limiter, "alice", 1_000_000_000L, 10)).isEqualTo(3);
    }

    @Test
    void onAverageNPerT() {
        TokenBucketLimiter limiter = limiter(10, 10);
        int allowed = 0;
        for (long second = 0; second < 100; second++) {
            allowed += allowedOf(limiter, "alice", second, 3);
        }
        assertThat(allowed).isEqualTo(10 + 99);
    }

    @Test
    void aLateTimestampAddsNoTokens() {
        TokenBucketLimiter limiter = limiter(2, 10);
        assertThat(allowedOf(limiter, "alice", 100, 2)).isEqualTo(2);
        assertThat(limiter.allowRequest("alice", 105)).isTrue();
        assertThat(limiter.allowRequest("alice", 103)).isFalse();
        assertThat(limiter.decide("alice", 105)).isEqualTo(RateLimitDecision.denied(2, 5));
    }

    @Test
    void remainingCountsWholeTokensAndResetTheNextOne() {
        TokenBucketLimiter limiter = limiter(100, 60);
        assertThat(limiter.decide("alice", 0)).isEqualTo(RateLimitDecision.allowed(100, 99, 1));
        TokenBucketLimiter slow = limiter(1, 60);
        assertThat(slow.decide("bob", 0)).isEqualTo(RateLimitDecision.allowed(1, 0, 60));
        assertThat(slow.decide("bob", 59)).isEqualTo(RateLimitDecision.denied(1, 1));
        assertThat(slow.decide("bob", 60)).isEqualTo(RateLimitDecision.allowed(1, 0, 60));
    }

    @Test
    void aBucketOfMoreThanFourBillionUnitsKeepsThemAll() {
        // N × T = 10^10 units, more than the low int of the two that hold them.
        TokenBucketLimiter limiter = limiter(100_000, 100_000);
        assertThat(limiter.decide("alice", 0)).isEqualTo(RateLimitDecision.allowed(100_000, 99_999, 1));
        assertThat(allowedOf(limiter, "alice", 0, 200_000)).isEqualTo(99_999);
        assertThat(limiter.decide("alice", 1)).isEqualTo(RateLimitDecision.allowed(100_000, 0, 1));

        TokenBucketLimiter largest = limiter(Integer.MAX_VALUE, Integer.MAX_VALUE);
        assertThat(largest.decide("bob", 0)).isEqualTo(RateLimitDecision.allowed(Integer.MAX_VALUE, Integer.MAX_VALUE - 1, 1));
    }
}
