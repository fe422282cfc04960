package io.edgegateway.filters.ratelimit.local;

import static io.edgegateway.filters.ratelimit.local.LimiterFixture.quota;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgegateway.config.Quota;
import io.edgegateway.filters.ratelimit.RateLimitDecision;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SlidingLogLimiterTest {

    private static SlidingLogLimiter limiter(long requests, long windowSeconds) {
        return new SlidingLogLimiter(quota(requests, windowSeconds));
    }

    @Test
    void firstRequestOfAUserIsAllowed() {
        assertThat(limiter(1, 60).allowRequest("alice", 1_700_000_000L)).isTrue();
    }

    @Test
    void nRequestsAtTThenOneAtTPlusTIsAllowed() {
        SlidingLogLimiter limiter = limiter(3, 10);
        for (int i = 0; i < 3; i++) {
            assertThat(limiter.allowRequest("alice", 100)).isTrue();
        }
        assertThat(limiter.allowRequest("alice", 110)).isTrue();
    }

    @Test
    void oneSecondBeforeTheWindowHasPassedIsDenied() {
        SlidingLogLimiter limiter = limiter(3, 10);
        for (int i = 0; i < 3; i++) {
            limiter.allowRequest("alice", 100);
        }
        assertThat(limiter.allowRequest("alice", 109)).isFalse();
    }

    @Test
    void requestsInTheSameSecondAllCount() {
        SlidingLogLimiter limiter = limiter(3, 10);
        List<Boolean> allowed = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            allowed.add(limiter.allowRequest("alice", 100));
        }
        assertThat(allowed).containsExactly(true, true, true, false, false);
    }

    @Test
    void deniedRequestsAreNotCounted() {
        SlidingLogLimiter limiter = limiter(2, 10);
        limiter.allowRequest("alice", 100);
        limiter.allowRequest("alice", 105);
        for (int i = 0; i < 50; i++) {
            assertThat(limiter.allowRequest("alice", 106 + i % 4)).isFalse();
        }
        assertThat(limiter.allowRequest("alice", 110)).isTrue();
        assertThat(limiter.allowRequest("alice", 115)).isTrue();
    }

    @Test
    void afterLongInactivityAUserStartsFresh() {
        SlidingLogLimiter limiter = limiter(2, 10);
        limiter.allowRequest("alice", 100);
        limiter.allowRequest("alice", 100);

        assertThat(limiter.decide("alice", 1_000_000)).isEqualTo(RateLimitDecision.allowed(2, 1, 10));
    }

    @Test
    void usersNeverShareCounts() {
        SlidingLogLimiter limiter = limiter(1, 60);
        assertThat(limiter.allowRequest("alice", 100)).isTrue();
        assertThat(limiter.allowRequest("bob", 100)).isTrue();
        assertThat(limiter.allowRequest("alice", 101)).isFalse();
        assertThat(limiter.allowRequest("carol", 101)).isTrue();
    }

    @Test
    void remainingAndResetFollowTheOldestCountedRequest() {
        SlidingLogLimiter limiter = limiter(3, 10);

        assertThat(limiter.decide("alice", 100)).isEqualTo(RateLimitDecision.allowed(3, 2, 10));
        assertThat(limiter.decide("alice", 104)).isEqualTo(RateLimitDecision.allowed(3, 1, 6));
        assertThat(limiter.decide("alice", 104)).isEqualTo(RateLimitDecision.allowed(3, 0, 6));
        // Denied: allowed again at 110, when the request of 100 leaves the window.
        assertThat(limiter.decide("alice", 105)).isEqualTo(RateLimitDecision.denied(3, 5));
        assertThat(limiter.decide("alice", 110)).isEqualTo(RateLimitDecision.allowed(3, 0, 4));
        // Both requests of 104 leave at 114.
        assertThat(limiter.decide("alice", 111)).isEqualTo(RateLimitDecision.denied(3, 3));
        assertThat(limiter.decide("alice", 114)).isEqualTo(RateLimitDecision.allowed(3, 1, 6));
    }

    @Test
    void aLateTimestampIsCountedAtTheNewestSecondAndFreesNothing() {
        List<Long> counted = new ArrayList<>();
        SlidingLogLimiter limiter = new SlidingLogLimiter(new Quota(1, Duration.ofSeconds(10)),
                (key, requested, second, decision) -> counted.add(second));

        assertThat(limiter.allowRequest("alice", 0)).isTrue();
        assertThat(limiter.allowRequest("alice", 10)).isTrue();
        // Taken at its own second, 5 would see an empty window (0 has left, 10 is ahead) and
        // allow a second request in 0..9; clamped to 10 it is denied until 10 leaves.
        assertThat(limiter.decide("alice", 5)).isEqualTo(RateLimitDecision.denied(1, 10));
        assertThat(limiter.allowRequest("alice", 19)).isFalse();
        assertThat(limiter.allowRequest("alice", 20)).isTrue();
        assertThat(counted).containsExactly(0L, 10L, 10L, 19L, 20L);
    }

    @Test
    void anAllowedLateRequestStaysInTheWindowAsLongAsTheNewestSecond() {
        SlidingLogLimiter limiter = limiter(3, 10);
        limiter.allowRequest("alice", 100);
        limiter.allowRequest("alice", 105);
        assertThat(limiter.decide("alice", 101)).isEqualTo(RateLimitDecision.allowed(3, 0, 5));
        assertThat(limiter.allowRequest("alice", 110)).isTrue();
        // Counted at 105, the late request leaves at 115, not at 111.
        assertThat(limiter.decide("alice", 111)).isEqualTo(RateLimitDecision.denied(3, 4));
        assertThat(limiter.decide("alice", 115)).isEqualTo(RateLimitDecision.allowed(3, 1, 5));
    }

    @Test
    void aHugeQuotaCostsMemoryForTheRequestsMadeOnly() {
        SlidingLogLimiter limiter = limiter(1_000_000, 86_400);
        for (int second = 0; second < 5; second++) {
            for (int i = 0; i < 1_000; i++) {
                limiter.allowRequest("alice", 1_700_000_000L + second * 3_600L);
            }
        }
        assertThat(limiter.stateOf("alice").total()).isEqualTo(5_000);
        assertThat(limiter.stateOf("alice").capacity()).isEqualTo(8);
    }

    @Test
    void entriesGrowToMinOfNAndTAndShrinkWhenTrafficCalms() {
        SlidingLogLimiter limiter = limiter(100, 60);
        for (int second = 0; second < 120; second++) {
            limiter.allowRequest("alice", second);
        }
        assertThat(limiter.stateOf("alice").capacity()).isEqualTo(60);
        limiter.allowRequest("alice", 200);
        assertThat(limiter.stateOf("alice").capacity()).isLessThanOrEqualTo(30);

        SlidingLogLimiter fewRequests = limiter(5, 60);
        for (int second = 0; second < 60; second++) {
            fewRequests.allowRequest("bob", second);
        }
        assertThat(fewRequests.stateOf("bob").capacity()).isEqualTo(5);
    }

    @Test
    void secondsFarApartStillFitInIntOffsets() {
        SlidingLogLimiter limiter = limiter(3, 2_000_000_000L);
        assertThat(limiter.allowRequest("alice", 0)).isTrue();
        assertThat(limiter.allowRequest("alice", 1_500_000_000L)).isTrue();
        assertThat(limiter.decide("alice", 3_000_000_000L)).isEqualTo(RateLimitDecision.allowed(3, 1, 500_000_000L));
        assertThat(limiter.decide("alice", 3_400_000_000L)).isEqualTo(RateLimitDecision.allowed(3, 0, 100_000_000L));
        assertThat(limiter.allowRequest("alice", 3_400_000_001L)).isFalse();
    }

    @Test
    void rejectsAQuotaBeyondIntRange() {
        assertThatThrownBy(() -> limiter(3_000_000_000L, 60))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("requests: 3000000000 (expected: <= 2147483647");
    }
}
