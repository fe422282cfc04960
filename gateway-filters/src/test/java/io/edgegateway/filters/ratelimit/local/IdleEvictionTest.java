package io.edgegateway.filters.ratelimit.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgegateway.config.Algorithm;
import io.edgegateway.config.Quota;
import io.edgegateway.filters.ratelimit.LocalRateLimiter;
import java.time.Duration;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class IdleEvictionTest {

    private static final Quota TWO_PER_TEN_SECONDS = new Quota(2, Duration.ofSeconds(10));

    @Test
    void slidingLogForgetsAnIdentityOnceItsNewestRequestIsOlderThanTheWindow() {
        LocalRateLimiter limiter = new SlidingLogLimiter(TWO_PER_TEN_SECONDS);
        limiter.allowRequest("alice", 100);
        limiter.allowRequest("bob", 105);

        limiter.evictIdle(110);
        assertThat(limiter.size()).isEqualTo(2);
        limiter.evictIdle(111);
        assertThat(limiter.size()).isEqualTo(1);
        limiter.evictIdle(116);
        assertThat(limiter.size()).isZero();
    }

    @Test
    void slidingWindowForgetsAnIdentityOnceItsCountsWeighNothing() {
        LocalRateLimiter limiter = new SlidingWindowLimiter(TWO_PER_TEN_SECONDS);
        limiter.allowRequest("alice", 100);

        limiter.evictIdle(119);
        assertThat(limiter.size()).isEqualTo(1);
        limiter.evictIdle(120);
        assertThat(limiter.size()).isZero();
    }

    @Test
    void tokenBucketForgetsAnIdentityOnceItsBucketIsFullAgain() {
        LocalRateLimiter limiter = new TokenBucketLimiter(TWO_PER_TEN_SECONDS);
        limiter.allowRequest("alice", 100);
        limiter.allowRequest("bob", 100);
        limiter.allowRequest("bob", 100);

        limiter.evictIdle(104);
        assertThat(limiter.size()).isEqualTo(2);
        limiter.evictIdle(105);
        assertThat(limiter.size()).isEqualTo(1);
        limiter.evictIdle(110);
        assertThat(limiter.size()).isZero();
    }

    @ParameterizedTest
    @EnumSource(Algorithm.class)
    void evictionNeverChangesADecision(Algorithm algorithm) {
        Quota quota = new Quota(3, Duration.ofSeconds(7));
        LocalRateLimiter evicting = LocalLimiters.create(algorithm, quota);
        LocalRateLimiter keeping = LocalLimiters.create(algorithm, quota);
        SplittableRandom random = new SplittableRandom(7);
        long clock = 1_000;
        for (int i = 0; i < 20_000; i++) {
            clock += random.nextInt(8) == 0 ? random.nextInt(12) : 0;
            String user = "user-" + random.nextInt(20);
            assertThat(evicting.decide(user, clock)).as("decision %d", i).isEqualTo(keeping.decide(user, clock));
            if (random.nextInt(50) == 0) {
                evicting.evictIdle(clock);
            }
        }
        assertThat(evicting.size()).isLessThan(keeping.size());
    }
}
