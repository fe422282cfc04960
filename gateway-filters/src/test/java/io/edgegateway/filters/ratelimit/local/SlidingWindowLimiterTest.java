package io.edgegateway.filters.ratelimit.local;

import static io.edgegateway.filters.ratelimit.local.LimiterFixture.allowedOf;
import static io.edgegateway.filters.ratelimit.local.LimiterFixture.quota;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgegateway.filters.ratelimit.RateLimitDecision;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SlidingWindowLimiterTest {

    private static SlidingWindowLimiter limiter(long requests, long windowSeconds) {
        return new SlidingWindowLimiter(quota(requests, windowSeconds));
    }

    @Test
    void withAOneSecondWindowItIsExact() {
        SlidingWindowLimiter limiter = limiter(3, 1);
        assertThat(allowedOf(limiter, "alice", 100, 5)).isEqualTo(3);
        assertThat(allowedOf(limiter, "alice", 101, 5)).isEqualTo(3);
        assertThat(allowedOf(limiter, "bob", 101, 5)).isEqualTo(3);
    }

    @Test
    void steadyTrafficAtTheLimitIsAllAllowed() {
        SlidingWindowLimiter limiter = limiter(60, 60);
        for (long second = 1_000; second < 1_600; second++) {
            assertThat(limiter.allowRequest("alice", second)).as("second %d", second).isTrue();
        }
    }

    @Test
    void theWorstCaseIsTwoNMinusOneInTSeconds() {
        SlidingWindowLimiter limiter = limiter(10, 10);
        // The previous window's N all in its last second, the estimate thinks they are spread out.
        int allowed = allowedOf(limiter, "alice", 9, 100);
        for (long second = 10; second <= 18; second++) {
            allowed += allowedOf(limiter, "alice", second, 100);
        }
        assertThat(allowed).as("allowed in 9..18").isEqualTo(2 * 10 - 1);
    }

    @Test
    void itMayDenyEarlyWhenThePreviousWindowsRequestsCameAtItsStart() {
        SlidingWindowLimiter limiter = limiter(10, 10);
        assertThat(allowedOf(limiter, "alice", 0, 10)).isEqualTo(10);
        // The exact limit would allow 10 at second 10 (the window 1..10 is empty).
        assertThat(allowedOf(limiter, "alice", 10, 10)).isEqualTo(1);
    }

    @Test
    void randomTrafficNeverExceedsTwoNMinusOne() {
        int limit = 7;
        int window = 5;
        SlidingWindowLimiter limiter = limiter(limit, window);
        SplittableRandom random = new SplittableRandom(42);
        List<Long> allowed = new ArrayList<>();
        for (long second = 0; second < 5_000; second++) {
            int attempts = random.nextInt(4) == 0 ? random.nextInt(20) : random.nextInt(3);
            for (int i = 0; i < attempts; i++) {
                if (limiter.allowRequest("alice", second)) {
                    allowed.add(second);
                }
            }
        }
        for (int first = 0, last = 0; last < allowed.size(); last++) {
            while (allowed.get(last) - allowed.get(first) >= window) {
                first++;
            }
            assertThat(last - first + 1).isLessThanOrEqualTo(2 * limit - 1);
        }
        assertThat(allowed.size()).isGreaterThan(5_000 / window * limit * 8 / 10);
    }

    @Test
    void remainingAndResetSeconds() {
        SlidingWindowLimiter limiter = limiter(10, 10);
        allowedOf(limiter, "alice", 9, 10);
        // Second 10: the previous 10 weigh 9/10, room for one; the next one fits at second 11.
        assertThat(limiter.decide("alice", 10)).isEqualTo(RateLimitDecision.allowed(10, 0, 10));
        assertThat(limiter.decide("alice", 10)).isEqualTo(RateLimitDecision.denied(10, 1));
        assertThat(limiter.decide("alice", 11)).isEqualTo(RateLimitDecision.allowed(10, 0, 9));

        SlidingWindowLimiter full = limiter(2, 10);
        assertThat(full.decide("bob", 100)).isEqualTo(RateLimitDecision.allowed(2, 1, 10));
        assertThat(full.decide("bob", 100)).isEqualTo(RateLimitDecision.allowed(2, 0, 10));
        // The current window is full: wait for the next one, and 4 seconds into it.
        assertThat(full.decide("bob", 100)).isEqualTo(RateLimitDecision.denied(2, 14));
        assertThat(full.allowRequest("bob", 113)).isFalse();
        assertThat(full.allowRequest("bob", 114)).isTrue();
    }

    @Test
    void aLateTimestampIsWeighedAsTheStartOfTheCurrentWindow() {
        SlidingWindowLimiter limiter = limiter(2, 10);
        assertThat(allowedOf(limiter, "alice", 109, 2)).isEqualTo(2);
        assertThat(limiter.allowRequest("alice", 119)).isTrue();
        // From window 10, 105 is counted in window 11 as at 110, where the previous 2 weigh 9/10.
        assertThat(limiter.allowRequest("alice", 105)).isFalse();
    }

    @Test
    void rejectsAWindowBeyondIntRange() {
        assertThatThrownBy(() -> limiter(3, 3_000_000_000L))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("window: PT833333H20M (expected: <= 2147483647s");
    }
}
