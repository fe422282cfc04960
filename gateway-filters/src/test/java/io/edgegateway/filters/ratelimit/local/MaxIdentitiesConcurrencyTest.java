package io.edgegateway.filters.ratelimit.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgegateway.config.Algorithm;
import io.edgegateway.config.Quota;
import io.edgegateway.filters.ratelimit.LocalRateLimiter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Threads flooding two limiters of one store with new identities, deciding for identities they
 * share, and evicting idle ones, all at once: the budget is never exceeded, and afterwards the
 * held count is exactly what the limiters hold.
 */
class MaxIdentitiesConcurrencyTest {

    private static final int MAX = 1_000;
    private static final int THREADS = 4;
    private static final int NEW_PER_THREAD = 20_000;

    @ParameterizedTest
    @EnumSource(Algorithm.class)
    void theBudgetHoldsUnderConcurrentFloods(Algorithm algorithm) throws Exception {
        IdentityBudget budget = IdentityBudget.of(MAX);
        LocalRateLimiter first = LocalLimiters.create(algorithm, new Quota(5, Duration.ofSeconds(10)), budget);
        LocalRateLimiter second = LocalLimiters.create(algorithm, new Quota(50, Duration.ofSeconds(60)), budget);
        ExecutorService pool = Executors.newFixedThreadPool(THREADS + 2);
        CountDownLatch start = new CountDownLatch(1);
        AtomicBoolean flooding = new AtomicBoolean(true);
        AtomicInteger mostHeld = new AtomicInteger();
        try {
            List<Future<?>> floods = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int thread = t;
                floods.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < NEW_PER_THREAD; i++) {
                        long now = 1_000 + i / 1_000;
                        (i % 3 == 0 ? second : first).decide("new-" + thread + "-" + i, now);
                        first.decide("shared-" + i % 50, now);
                    }
                    return null;
                }));
            }
            Future<?> watcher = pool.submit(() -> {
                start.await();
                while (flooding.get()) {
                    mostHeld.accumulateAndGet(budget.held(), Math::max);
                }
                return null;
            });
            Future<?> evictor = pool.submit(() -> {
                start.await();
                long now = 1_000;
                while (flooding.get()) {
                    first.evictIdle(now);
                    second.evictIdle(now);
                    now++;
                }
                return null;
            });
            start.countDown();
            for (Future<?> flood : floods) {
                flood.get();
            }
            flooding.set(false);
            watcher.get();
            evictor.get();
        } finally {
            pool.shutdownNow();
        }

        assertThat(mostHeld.get()).isLessThanOrEqualTo(MAX);
        assertThat(budget.held()).isLessThanOrEqualTo(MAX).isEqualTo(first.size() + second.size());
        assertThat(budget.evicted()).isPositive();
    }
}
