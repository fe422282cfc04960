package io.edgegateway.loadtest.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The queueing arithmetic of the worker pool, with explicit arrival times. */
class WorkerPoolTest {

    private static final long MS = 1_000_000L;

    @Test
    void requestsWaitForTheEarliestFreeWorkerInArrivalOrder() {
        WorkerPool pool = new WorkerPool(2);
        assertThat(pool.delayNanos(0, 20 * MS)).isEqualTo(20 * MS);
        assertThat(pool.delayNanos(0, 20 * MS)).isEqualTo(20 * MS);
        // Both busy until 20 ms: the third waits 20 ms, the fourth too, the fifth until 40 ms.
        assertThat(pool.delayNanos(0, 20 * MS)).isEqualTo(40 * MS);
        assertThat(pool.delayNanos(5 * MS, 20 * MS)).isEqualTo(35 * MS);
        assertThat(pool.delayNanos(10 * MS, 20 * MS)).isEqualTo(50 * MS);
    }

    @Test
    void anIdlePoolAddsNoWait() {
        WorkerPool pool = new WorkerPool(1);
        assertThat(pool.delayNanos(0, 10 * MS)).isEqualTo(10 * MS);
        assertThat(pool.delayNanos(100 * MS, 10 * MS)).isEqualTo(10 * MS);
    }

    @Test
    void aSamplerWithAPoolTurnsTheShapeIntoServiceTimes() {
        long[] now = {0};
        LatencySampler sampler = new LatencySampler(LatencyShape.parse("fixed:20ms"), new WorkerPool(8), 1L, () -> now[0]);
        long last = 0;
        for (int i = 0; i < 80; i++) {
            last = sampler.nextDelayNanos();
        }
        // 80 at once on 8 workers of 20 ms: the last starts after nine rounds.
        assertThat(last).isEqualTo(200 * MS);
    }

    @Test
    void needsAWorker() {
        assertThatThrownBy(() -> new WorkerPool(0)).hasMessageContaining("expected: > 0");
    }
}
