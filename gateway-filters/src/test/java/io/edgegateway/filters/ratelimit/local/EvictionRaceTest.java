package io.edgegateway.filters.ratelimit.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.edgegateway.config.Quota;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;

/**
 * A decision that looked an identity up just before eviction removed it must not count the request
 * in the removed state: it looks the identity up again.
 */
class EvictionRaceTest {

    @RepeatedTest(10)
    void aDecisionBlockedBehindEvictionCountsInTheLiveState(RepetitionInfo repetition) throws Exception {
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        // One request per 10 s; the decision at second 0 holds alice's lock until released.
        SlidingLogLimiter limiter = new SlidingLogLimiter(new Quota(1, Duration.ofSeconds(10)),
                (key, requested, counted, decision) -> {
                    if (requested == 0) {
                        inside.countDown();
                        awaitQuietly(release);
                    }
                });
        Thread holder = new Thread(() -> limiter.decide("alice", 0));
        holder.start();
        inside.await();

        // Both block on alice's lock: the decision at 1000, and an eviction that finds the state
        // of second 0 idle at 1000 (but would not find one holding the request of 1000 idle).
        // Which gets the lock first depends on the order they queued: both orders are tried.
        Thread decider = new Thread(() -> limiter.decide("alice", 1_000));
        Thread evictor = new Thread(() -> limiter.evictIdle(1_000));
        boolean deciderFirst = repetition.getCurrentRepetition() % 2 == 0;
        blockOnLock(deciderFirst ? decider : evictor);
        blockOnLock(deciderFirst ? evictor : decider);
        release.countDown();
        holder.join();
        decider.join();
        evictor.join();

        assertThat(limiter.size()).isEqualTo(1);
        assertThat(limiter.stateOf("alice").total()).isEqualTo(1);
        assertThat(limiter.allowRequest("alice", 1_000)).isFalse();
    }

    private static void blockOnLock(Thread thread) {
        thread.start();
        await().pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(1))
                .until(() -> thread.getState() == Thread.State.BLOCKED);
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
