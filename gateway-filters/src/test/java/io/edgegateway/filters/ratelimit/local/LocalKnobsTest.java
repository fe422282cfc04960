package io.edgegateway.filters.ratelimit.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgegateway.config.Algorithm;
import io.edgegateway.config.Quota;
import io.edgegateway.filters.ratelimit.LocalRateLimiter;
import io.edgegateway.filters.ratelimit.RateLimitDecision;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** resolution, burst and block-for in memory, at the same edges as the Redis store's test. */
class LocalKnobsTest {

    @Test
    void tenPerSecondAtHundredMillisIsNoFixedSecond() {
        LocalRateLimiter limiter = LocalLimiters.create(Algorithm.SLIDING_LOG,
                new Quota(10, Duration.ofSeconds(1), Duration.ofMillis(100)));
        for (int i = 0; i < 10; i++) {
            assertThat(limiter.decideAtMillis("u", 900).allowed()).isTrue();
        }
        assertThat(limiter.decideAtMillis("u", 1_000)).isEqualTo(RateLimitDecision.deniedMillis(10, 900));
        assertThat(limiter.decideAtMillis("u", 1_899)).isEqualTo(RateLimitDecision.deniedMillis(10, 1));
        assertThat(limiter.decideAtMillis("u", 1_900).allowed()).isTrue();
    }

    @Test
    void aBurstIsPaidBackInTheNextWindow() {
        LocalRateLimiter limiter = LocalLimiters.create(Algorithm.SLIDING_LOG,
                new Quota(10, Duration.ofSeconds(1), Duration.ofSeconds(1), 1.5, Duration.ZERO));
        for (int i = 0; i < 15; i++) {
            assertThat(limiter.decideAtMillis("u", 0).allowed()).isTrue();
        }
        assertThat(limiter.decideAtMillis("u", 999)).isEqualTo(RateLimitDecision.deniedMillis(10, 1));
        for (int i = 0; i < 5; i++) {
            assertThat(limiter.decideAtMillis("u", 1_000).allowed()).isTrue();
        }
        assertThat(limiter.decideAtMillis("u", 1_500)).isEqualTo(RateLimitDecision.deniedMillis(10, 500));
        for (int i = 0; i < 15; i++) {
            assertThat(limiter.decideAtMillis("u", 2_000).allowed()).isTrue();
        }
        assertThat(limiter.decideAtMillis("u", 2_000).allowed()).isFalse();
    }

    @Test
    void aSecondDenialWithinAWindowBlocks() {
        LocalRateLimiter limiter = LocalLimiters.create(Algorithm.SLIDING_LOG,
                new Quota(2, Duration.ofSeconds(10), Duration.ofSeconds(1), 1, Duration.ofSeconds(60)));
        limiter.decideAtMillis("u", 0);
        limiter.decideAtMillis("u", 0);
        assertThat(limiter.decideAtMillis("u", 1_000)).isEqualTo(RateLimitDecision.deniedMillis(2, 9_000));
        assertThat(limiter.decideAtMillis("u", 9_999)).isEqualTo(RateLimitDecision.deniedMillis(2, 60_000));
        assertThat(limiter.decideAtMillis("u", 10_000)).isEqualTo(RateLimitDecision.deniedMillis(2, 59_999));
        assertThat(limiter.decideAtMillis("u", 69_999).allowed()).isTrue();
    }

    @Test
    void tokenBucketBurstIsItsCapacity() {
        LocalRateLimiter limiter = LocalLimiters.create(Algorithm.TOKEN_BUCKET,
                new Quota(10, Duration.ofSeconds(1), Duration.ofSeconds(1), 1.5, Duration.ZERO));
        for (int i = 0; i < 15; i++) {
            assertThat(limiter.decide("u", 100).allowed()).isTrue();
        }
        assertThat(limiter.decide("u", 100).allowed()).isFalse();
        for (int i = 0; i < 10; i++) {
            assertThat(limiter.decide("u", 101).allowed()).isTrue();
        }
        assertThat(limiter.decide("u", 101).allowed()).isFalse();
    }
}
