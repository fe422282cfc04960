package io.edgegateway.filters.ratelimit.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgegateway.config.Quota;
import io.edgegateway.filters.ratelimit.RateLimitDecision;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class DenialCacheTest {

    private static final Quota QUOTA = new Quota(10, Duration.ofSeconds(1));

    private final DenialCache cache = new DenialCache(16);

    @Test
    void aDenialIsAnsweredUntilItsResetAndNotAfter() {
        cache.remember("rl:{a}", QUOTA, 1_000, RateLimitDecision.deniedMillis(10, 400), false);

        assertThat(cache.denied("rl:{a}", QUOTA, 1_399)).isEqualTo(RateLimitDecision.deniedMillis(10, 1));
        assertThat(cache.denied("rl:{a}", QUOTA, 1_400)).isNull();
        assertThat(cache.denied("rl:{b}", QUOTA, 1_200)).isNull();
    }

    @Test
    void aDenialCachedAfterEveryEarlierOneHasPassedIsAnswered() {
        cache.remember("rl:{a}", QUOTA, 1_000, RateLimitDecision.deniedMillis(10, 400), false);
        assertThat(cache.denied("rl:{a}", QUOTA, 2_000)).isNull();

        cache.remember("rl:{b}", QUOTA, 2_000, RateLimitDecision.deniedMillis(10, 300), false);

        assertThat(cache.denied("rl:{b}", QUOTA, 2_100)).isEqualTo(RateLimitDecision.deniedMillis(10, 200));
    }

    @Test
    void aShorterDenialDoesNotHideALongerOne() {
        cache.remember("rl:{long}", QUOTA, 1_000, RateLimitDecision.deniedMillis(10, 900), false);
        cache.remember("rl:{short}", QUOTA, 1_000, RateLimitDecision.deniedMillis(10, 100), false);

        assertThat(cache.denied("rl:{long}", QUOTA, 1_500)).isEqualTo(RateLimitDecision.deniedMillis(10, 400));
    }

    @Test
    void allowedDecisionsAndPlainDenialsUnderBlockForAreNotCached() {
        Quota blocking = new Quota(10, Duration.ofSeconds(1), Duration.ofSeconds(1), 1, Duration.ofMinutes(1));
        cache.remember("rl:{a}", QUOTA, 1_000, RateLimitDecision.allowedMillis(10, 3, 500), false);
        cache.remember("rl:{b}", blocking, 1_000, RateLimitDecision.deniedMillis(10, 500), false);

        assertThat(cache.denied("rl:{a}", QUOTA, 1_100)).isNull();
        assertThat(cache.denied("rl:{b}", blocking, 1_100)).isNull();

        cache.remember("rl:{b}", blocking, 1_000, RateLimitDecision.deniedMillis(10, 60_000), true);
        assertThat(cache.denied("rl:{b}", blocking, 1_100)).isEqualTo(RateLimitDecision.deniedMillis(10, 59_900));
    }
}
