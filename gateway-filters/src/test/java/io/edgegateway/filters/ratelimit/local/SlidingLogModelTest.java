package io.edgegateway.filters.ratelimit.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgegateway.config.Quota;
import io.edgegateway.filters.ratelimit.RateLimitDecision;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Single-threaded random traffic, compared decision by decision with the definition written the
 * slow way: a list of every allowed request's counted second.
 */
class SlidingLogModelTest {

    @ParameterizedTest(name = "N={0} T={1}")
    @CsvSource({"1,1", "1,10", "3,1", "3,10", "10,5", "5,60", "100,60", "7,7"})
    void matchesTheDefinitionOnRandomTraffic(int limit, int window) {
        SlidingLogLimiter limiter = new SlidingLogLimiter(new Quota(limit, Duration.ofSeconds(window)));
        Map<String, Model> models = new HashMap<>();
        SplittableRandom random = new SplittableRandom(limit * 31L + window);
        long clock = 1_000;
        for (int i = 0; i < 50_000; i++) {
            int step = random.nextInt(100);
            if (step < 10) {
                clock += 1;
            } else if (step == 10) {
                clock += random.nextInt(3 * window);
            }
            long timestamp = step > 95 ? clock - random.nextInt(window + 3) : clock;
            String user = "u" + random.nextInt(4);

            RateLimitDecision actual = limiter.decide(user, timestamp);
            RateLimitDecision expected = models.computeIfAbsent(user, u -> new Model(limit, window)).decide(timestamp);

            assertThat(actual).as("decision %d for %s at %d", i, user, timestamp).isEqualTo(expected);
            if (random.nextInt(500) == 0) {
                // Timestamps are at most T+2 behind the clock: eviction is safe up to a second later.
                limiter.evictIdle(clock - window - 1);
            }
        }
    }

    /** The definition: allowed when fewer than N allowed requests were counted in c-T+1..c. */
    private static final class Model {
        private final int limit;
        private final int window;
        private final List<Long> allowed = new ArrayList<>();

        Model(int limit, int window) {
            this.limit = limit;
            this.window = window;
        }

        RateLimitDecision decide(long timestamp) {
            long counted = allowed.isEmpty() ? timestamp : Math.max(timestamp, allowed.get(allowed.size() - 1));
            List<Long> inWindow = allowed.stream().filter(s -> s > counted - window).toList();
            if (inWindow.size() >= limit) {
                return RateLimitDecision.denied(limit, inWindow.get(0) + window - counted);
            }
            allowed.add(counted);
            // Later requests are counted at this second or after: older ones never matter again.
            allowed.removeIf(s -> s <= counted - window);
            long oldest = inWindow.isEmpty() ? counted : inWindow.get(0);
            return RateLimitDecision.allowed(limit, limit - inWindow.size() - 1, oldest + window - counted);
        }
    }
}
