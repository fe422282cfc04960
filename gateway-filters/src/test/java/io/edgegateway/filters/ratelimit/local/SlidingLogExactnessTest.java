package io.edgegateway.filters.ratelimit.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgegateway.config.Quota;
import io.edgegateway.filters.ratelimit.local.SlidingLogChecker.Decision;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Eight threads hammer one limiter for a few colliding users with slightly out-of-order
 * timestamps (up to 3 s behind a shared clock, and further when a thread is descheduled between
 * reading the clock and deciding), and now and then evict idle users; every decision is recorded
 * (in the order the limiter made it, through its observer) and checked afterwards by
 * {@link SlidingLogChecker}.
 */
class SlidingLogExactnessTest {

    private static final int LIMIT = 5;
    private static final int WINDOW = 10;
    private static final int THREADS = 8;
    private static final int DECISIONS_PER_THREAD = 25_000;
    private static final int JITTER = 3;
    private static final long START = 1_700_000_000L;

    @Test
    void concurrentDecisionsAreExact() throws Exception {
        ConcurrentHashMap<String, Queue<Decision>> log = new ConcurrentHashMap<>();
        SlidingLogLimiter limiter = new SlidingLogLimiter(new Quota(LIMIT, Duration.ofSeconds(WINDOW)),
                (user, requested, counted, decision) -> log.computeIfAbsent(user, u -> new ConcurrentLinkedQueue<>())
                        .add(new Decision(requested, counted, decision.allowed())));
        SharedClock clock = new SharedClock(START, JITTER, THREADS);
        AtomicInteger evictions = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<?>> hammers = new ArrayList<>();
            for (int i = 0; i < THREADS; i++) {
                int thread = i;
                hammers.add(pool.submit(() -> hammer(limiter, clock, thread, start, evictions)));
            }
            start.countDown();
            for (Future<?> hammer : hammers) {
                hammer.get(2, TimeUnit.MINUTES);
            }
            assertThat(evictions).as("evictions seen").hasPositiveValue();
        } finally {
            pool.shutdownNow();
        }

        List<String> violations = new ArrayList<>();
        long allowed = 0;
        long late = 0;
        for (var entry : log.entrySet()) {
            List<Decision> decisions = List.copyOf(entry.getValue());
            violations.addAll(SlidingLogChecker.violations(entry.getKey(), decisions, LIMIT, WINDOW));
            allowed += decisions.stream().filter(Decision::allowed).count();
            late += decisions.stream().filter(d -> d.countedSecond() != d.requestedSecond()).count();
        }
        long total = log.values().stream().mapToLong(Queue::size).sum();
        assertThat(violations).isEmpty();
        assertThat(total).isEqualTo((long) THREADS * DECISIONS_PER_THREAD);
        assertThat(allowed).as("allowed").isBetween(total / 20, total - total / 20);
        assertThat(late).as("clamped late requests").isPositive();
    }

    @Test
    void theCheckerCatchesBrokenDecisions() {
        List<Decision> tooMany = List.of(new Decision(0, 0, true), new Decision(5, 5, true), new Decision(9, 9, true));
        assertThat(SlidingLogChecker.violations("a", tooMany, 2, 10)).containsExactly("a: 3 allowed in 0..9");

        List<Decision> deniedEarly = List.of(new Decision(0, 0, true), new Decision(5, 5, false));
        assertThat(SlidingLogChecker.violations("a", deniedEarly, 2, 10))
                .containsExactly("a: denied at 5 with only 1 allowed in -4..5");

        List<Decision> notClamped = List.of(new Decision(10, 10, true), new Decision(5, 5, true));
        assertThat(SlidingLogChecker.violations("a", notClamped, 2, 10))
                .containsExactly("a: requested 5 should be counted at 10, was at 5");
    }

    private static void hammer(SlidingLogLimiter limiter, SharedClock clock, int thread, CountDownLatch start,
            AtomicInteger evictions) {
        SplittableRandom random = new SplittableRandom(thread);
        await(start);
        for (int i = 0; i < DECISIONS_PER_THREAD; i++) {
            if (random.nextInt(10) == 0) {
                clock.tick();
            }
            long now = clock.begin(thread);
            long timestamp = now - random.nextInt(JITTER + 1);
            // Skewed: user 0 half of the time, user 1 a quarter..., so the rare ones go idle.
            String user = "user-" + Math.min(Integer.numberOfTrailingZeros(random.nextInt()), 9);
            limiter.decide(user, timestamp);
            clock.end(thread);
            if (random.nextInt(20) == 0) {
                evictIdle(limiter, clock, evictions);
            }
        }
    }

    /** Evicts with the lowest timestamp any thread may still send; counts the times users were gone. */
    private static void evictIdle(SlidingLogLimiter limiter, SharedClock clock, AtomicInteger evictions) {
        long floor = clock.lowestInFlight();
        if (floor == Long.MIN_VALUE) {
            return;
        }
        int before = limiter.size();
        limiter.evictIdle(floor);
        if (limiter.size() < before) {
            evictions.incrementAndGet();
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
