package io.edgegateway.filters.ratelimit.local;

import io.edgegateway.config.Quota;
import io.edgegateway.filters.ratelimit.RateLimiter;
import java.time.Duration;

/** Small helpers shared by the local limiter tests. */
final class LimiterFixture {

    private LimiterFixture() {
    }

    static Quota quota(long requests, long windowSeconds) {
        return new Quota(requests, Duration.ofSeconds(windowSeconds));
    }

    /** How many of {@code attempts} requests by {@code user} at {@code second} are allowed. */
    static int allowedOf(RateLimiter limiter, String user, long second, int attempts) {
        int allowed = 0;
        for (int i = 0; i < attempts; i++) {
            if (limiter.allowRequest(user, second)) {
                allowed++;
            }
        }
        return allowed;
    }
}
