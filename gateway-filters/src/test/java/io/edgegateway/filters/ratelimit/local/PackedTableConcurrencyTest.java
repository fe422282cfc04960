package io.edgegateway.filters.ratelimit.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.edgegateway.filters.ratelimit.RateLimitDecision;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

/**
 * Decisions from several threads at once: on one identity, on identities they share, on their own
 * new ones (so stripes resize under them), while another thread evicts. With a sliding window of
 * T = 1 every count is exact.
 */
class PackedTableConcurrencyTest {

    private static final int LIMIT = 10_000;
    private static final int THREADS = 4;
    private static final int REQUESTS_PER_THREAD = 5_000;
    private static final int SHARED = 100;
    private static final int OLD = 2_000;

    @RepeatedTest(5)
    void concurrentDecisionsCountExactly() throws Exception {
        PackedIdentityTable table = new PackedIdentityTable(new SlidingWindowCounter(LIMIT, 1), 4);
        for (int i = 0; i < OLD; i++) {
            table.decide("old-" + i, 98);
        }
        ExecutorService pool = Executors.newFixedThreadPool(THREADS + 1);
        CountDownLatch start = new CountDownLatch(1);
        AtomicBoolean deciding = new AtomicBoolean(true);
        try {
            List<Future<Integer>> deciders = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int thread = t;
                deciders.add(pool.submit(() -> {
                    start.await();
                    int allowedForAlice = 0;
                    for (int i = 0; i < REQUESTS_PER_THREAD; i++) {
                        if (table.decide("alice", 100).allowed()) {
                            allowedForAlice++;
                        }
                        table.decide("shared-" + i % SHARED, 100);
                        table.decide("own-" + thread + "-" + i, 100);
                    }
                    return allowedForAlice;
                }));
            }
            Future<?> evictor = pool.submit(() -> {
                start.await();
                while (deciding.get()) {
                    table.evictIdle(100);
                }
                return null;
            });
            start.countDown();
            int allowedForAlice = 0;
            for (Future<Integer> decider : deciders) {
                allowedForAlice += decider.get(2, TimeUnit.MINUTES);
            }
            deciding.set(false);
            evictor.get(2, TimeUnit.MINUTES);

            assertThat(allowedForAlice).isEqualTo(LIMIT);
            table.evictIdle(100);
            assertThat(table.size()).isEqualTo(1 + SHARED + THREADS * REQUESTS_PER_THREAD);
            int perShared = THREADS * REQUESTS_PER_THREAD / SHARED;
            for (int i = 0; i < SHARED; i++) {
                assertThat(table.decide("shared-" + i, 100).remaining()).isEqualTo(LIMIT - perShared - 1);
            }
            for (int t = 0; t < THREADS; t++) {
                for (int i = 0; i < REQUESTS_PER_THREAD; i++) {
                    assertThat(table.decide("own-" + t + "-" + i, 100).remaining()).isEqualTo(LIMIT - 2);
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aDecisionWaitsOnlyForItsOwnStripe() throws Exception {
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        SlidingWindowCounter counter = new SlidingWindowCounter(LIMIT, 1);
        // Alice's decision holds her stripe's lock until released.
        PackedIdentityTable table = new PackedIdentityTable(new PackedState() {
            @Override
            public void init(int[] state, int offset, long nowSeconds) {
                counter.init(state, offset, nowSeconds);
            }

            @Override
            public RateLimitDecision decide(int[] state, int offset, long nowSeconds) {
                if (nowSeconds == 0) {
                    inside.countDown();
                    awaitQuietly(release);
                }
                return counter.decide(state, offset, nowSeconds);
            }

            @Override
            public boolean isIdle(int[] state, int offset, long nowSeconds) {
                return counter.isIdle(state, offset, nowSeconds);
            }
        }, 16);
        Thread holder = new Thread(() -> table.decide("alice", 0));
        holder.start();
        inside.await();

        String sameStripe = keyInStripeOf("alice", true);
        String otherStripe = keyInStripeOf("alice", false);
        Thread blocked = new Thread(() -> table.decide(sameStripe, 1));
        blocked.start();
        await().pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(1))
                .until(() -> blocked.getState() == Thread.State.BLOCKED);
        assertThat(table.decide(otherStripe, 1).allowed()).isTrue();

        release.countDown();
        holder.join();
        blocked.join();
        assertThat(table.size()).isEqualTo(3);
    }

    /** A key "user-<n>" in the same (or another) of 16 stripes as {@code key}. */
    private static String keyInStripeOf(String key, boolean same) {
        int stripe = PackedIdentityTable.hash(key) >>> 28;
        for (int i = 0; ; i++) {
            String candidate = "user-" + i;
            if ((PackedIdentityTable.hash(candidate) >>> 28 == stripe) == same) {
                return candidate;
            }
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
