package io.edgegateway.server.upstream.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Many event loops reporting at once: invariants only, never timing. */
class OutlierDetectorConcurrencyTest {

    private static final int THREADS = 8;
    private static final int INSTANCES = 10;
    private static final long BASE = TimeUnit.SECONDS.toNanos(10);

    private final AtomicLong now = new AtomicLong(TimeUnit.HOURS.toNanos(3));
    private final OutlierDetector detector = new OutlierDetector(3, BASE, 30, now::get);
    private final List<OutlierState> states = new ArrayList<>();
    private final ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();

    private void runTogether(Runnable work) throws Exception {
        CyclicBarrier start = new CyclicBarrier(THREADS);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            Thread thread = new Thread(() -> {
                try {
                    start.await();
                    work.run();
                } catch (Throwable e) {
                    errors.add(e);
                }
            });
            thread.start();
            threads.add(thread);
        }
        for (Thread thread : threads) {
            thread.join();
        }
        assertThat(errors).isEmpty();
    }

    @Test
    void concurrentFailuresEjectEachInstanceOnceAndNeverPassTheCap() throws Exception {
        for (int i = 0; i < INSTANCES; i++) {
            states.add(detector.register());
        }
        for (int round = 0; round < 20; round++) {
            AtomicInteger ejections = new AtomicInteger();
            runTogether(() -> {
                for (int i = 0; i < 2_000; i++) {
                    OutlierState state = states.get(ThreadLocalRandom.current().nextInt(INSTANCES));
                    if (detector.onFailure(state)) {
                        ejections.incrementAndGet();
                    }
                    assertThat(detector.ejectedCount()).isBetween(0, 3);
                }
            });
            // The clock stood still, so no instance could come back and be ejected twice.
            assertThat(ejections.get()).as("30% of 10").isEqualTo(3);
            assertThat(detector.ejectedCount()).isEqualTo(3);
            assertThat(states.stream().filter(detector::isEjected).count()).isEqualTo(3);

            now.addAndGet(TimeUnit.SECONDS.toNanos(300));
            runTogether(() -> {
                for (int i = 0; i < 200; i++) {
                    for (OutlierState state : states) {
                        assertThat(detector.isEjected(state)).isFalse();
                    }
                }
            });
            assertThat(detector.ejectedCount()).as("each readmission given back exactly once").isZero();
        }
    }

    @Test
    void theCountStaysTrueWhileTimeMovesAndInstancesComeAndGo() throws Exception {
        for (int i = 0; i < INSTANCES; i++) {
            states.add(detector.register());
        }
        List<OutlierState> leaving = List.copyOf(states.subList(0, 4));
        AtomicInteger turn = new AtomicInteger();
        runTogether(() -> {
            int me = turn.getAndIncrement();
            ThreadLocalRandom random = ThreadLocalRandom.current();
            for (int i = 0; i < 20_000; i++) {
                OutlierState state = states.get(random.nextInt(INSTANCES));
                switch (random.nextInt(4)) {
                    case 0, 1 -> detector.onFailure(state);
                    case 2 -> detector.onSuccess(state);
                    default -> detector.isEjected(state);
                }
                if (me == 0 && i % 50 == 0) {
                    now.addAndGet(BASE / 4);
                }
                if (me == 1 && i == 10_000) {
                    leaving.forEach(detector::unregister);
                }
                assertThat(detector.ejectedCount()).isBetween(0, 3);
            }
        });

        int stillEjected = (int) states.stream().filter(detector::isEjected).count();
        assertThat(detector.ejectedCount()).isEqualTo(stillEjected).isLessThanOrEqualTo(3);
        now.addAndGet(TimeUnit.HOURS.toNanos(1));
        assertThat(detector.ejectedCount()).isZero();
        assertThat(states.stream().filter(detector::isEjected).count()).isZero();
    }
}
