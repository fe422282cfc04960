package io.edgegateway.server.upstream.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RetryBudgetTest {

    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    private final AtomicLong now = new AtomicLong(-TimeUnit.HOURS.toNanos(5));

    private static int retriesGranted(RetryBudget budget, int attempts) {
        int granted = 0;
        for (int i = 0; i < attempts; i++) {
            if (budget.tryAcquire()) {
                granted++;
            }
        }
        return granted;
    }

    @Test
    void aQuietRouteMayStillRetryUpToTheFloor() {
        RetryBudget budget = new RetryBudget(20, RetryBudget.DEFAULT_MIN_PER_SECOND, now::get);

        assertThat(retriesGranted(budget, 100)).as("3 a second over a 10 s window").isEqualTo(30);
    }

    @Test
    void underASteadyRateRetriesStayWithinTheRatio() {
        RetryBudget budget = new RetryBudget(20, 0, now::get);
        int granted = 0;
        for (int second = 0; second < 30; second++) {
            for (int i = 0; i < 100; i++) {
                budget.onRequest();
                if (budget.tryAcquire()) {
                    granted++;
                }
            }
            now.addAndGet(SECOND);
        }
        // Every request wants a retry; only a fifth of them get one, second after second.
        assertThat(granted).isEqualTo(30 * 20);
        for (int i = 0; i < 100; i++) {
            budget.onRequest();
        }
        assertThat(retriesGranted(budget, 1000))
                .as("the window holds 1000 requests (200 allowed) and 9 s of spent retries (180)")
                .isEqualTo(20);
    }

    @Test
    void theRatioAddsToTheFloor() {
        RetryBudget budget = new RetryBudget(20, RetryBudget.DEFAULT_MIN_PER_SECOND, now::get);
        for (int i = 0; i < 500; i++) {
            budget.onRequest();
        }

        assertThat(retriesGranted(budget, 1000)).isEqualTo(100 + 30);
    }

    @Test
    void retriesLeaveTheWindowAfterTenSeconds() {
        RetryBudget budget = new RetryBudget(20, RetryBudget.DEFAULT_MIN_PER_SECOND, now::get);
        assertThat(retriesGranted(budget, 30)).isEqualTo(30);

        now.addAndGet(9 * SECOND);
        assertThat(budget.tryAcquire()).as("second 9 still sees the 30 retries of second 0").isFalse();

        now.addAndGet(SECOND);
        assertThat(retriesGranted(budget, 100)).as("second 10: they have expired").isEqualTo(30);
    }

    @Test
    void requestsLeaveTheWindowToo() {
        RetryBudget budget = new RetryBudget(50, 0, now::get);
        for (int i = 0; i < 100; i++) {
            budget.onRequest();
        }
        now.addAndGet(10 * SECOND);

        assertThat(budget.tryAcquire()).as("the 100 requests of ten seconds ago allow nothing now").isFalse();
    }

    @Test
    void aBucketReusedAfterALongPauseStartsFromZero() {
        RetryBudget budget = new RetryBudget(20, 1, now::get);
        for (int i = 0; i < 1000; i++) {
            budget.onRequest();
        }
        assertThat(retriesGranted(budget, 1000)).isEqualTo(200 + 10);

        now.addAndGet(TimeUnit.HOURS.toNanos(3));
        assertThat(retriesGranted(budget, 1000)).isEqualTo(10);
    }

    @Test
    void settingsOutOfRangeAreRefused() {
        assertThatThrownBy(() -> new RetryBudget(-1, 3, now::get))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("percent: -1.0 (expected: >= 0)");
        assertThatThrownBy(() -> new RetryBudget(Double.NaN, 3, now::get))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RetryBudget(20, -1, now::get))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("minRetriesPerSecond: -1 (expected: >= 0)");
    }

    @Test
    void concurrentRetriesNeverSpendMoreThanTheBudget() throws InterruptedException {
        RetryBudget budget = new RetryBudget(20, RetryBudget.DEFAULT_MIN_PER_SECOND, now::get);
        int threads = 8;
        int requestsPerThread = 5_000;
        AtomicInteger granted = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread worker = new Thread(() -> {
                awaitQuietly(start);
                for (int i = 0; i < requestsPerThread; i++) {
                    budget.onRequest();
                    for (int r = 0; r < 3; r++) {
                        if (budget.tryAcquire()) {
                            granted.incrementAndGet();
                        }
                    }
                }
            });
            worker.start();
            workers.add(worker);
        }
        start.countDown();
        for (Thread worker : workers) {
            worker.join();
        }

        long allowance = threads * requestsPerThread / 5 + 30;
        assertThat(granted.get()).isLessThanOrEqualTo((int) allowance + threads);
        assertThat(retriesGranted(budget, 1000)).as("the budget is spent").isZero();
    }

    @Test
    void concurrentRetriesOnAQuietRouteGetExactlyTheFloor() throws InterruptedException {
        RetryBudget budget = new RetryBudget(20, RetryBudget.DEFAULT_MIN_PER_SECOND, now::get);
        int threads = 8;
        AtomicInteger granted = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread worker = new Thread(() -> {
                awaitQuietly(start);
                granted.addAndGet(retriesGranted(budget, 1_000));
            });
            worker.start();
            workers.add(worker);
        }
        start.countDown();
        for (Thread worker : workers) {
            worker.join();
        }

        assertThat(granted.get()).isEqualTo(30);
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
