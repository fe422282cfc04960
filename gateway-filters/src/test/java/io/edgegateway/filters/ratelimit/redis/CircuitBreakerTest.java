package io.edgegateway.filters.ratelimit.redis;

import static io.edgegateway.filters.ratelimit.redis.CircuitBreaker.Permit.CALL;
import static io.edgegateway.filters.ratelimit.redis.CircuitBreaker.Permit.PROBE;
import static io.edgegateway.filters.ratelimit.redis.CircuitBreaker.Permit.REJECTED;
import static org.assertj.core.api.Assertions.assertThat;

import io.edgegateway.config.CircuitBreakerConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The breaker driven by a hand-moved clock. */
class CircuitBreakerTest {

    private final AtomicLong nanos = new AtomicLong(1_000);
    private final List<CircuitState> transitions = new ArrayList<>();
    private final CircuitBreaker breaker = new CircuitBreaker(
            new CircuitBreakerConfig(3, Duration.ofSeconds(5)), nanos::get, transitions::add);

    private void advance(Duration duration) {
        nanos.addAndGet(duration.toNanos());
    }

    private void fail(int times) {
        for (int i = 0; i < times; i++) {
            breaker.onFailure(breaker.tryAcquire());
        }
    }

    @Test
    void opensAfterThresholdConsecutiveFailures() {
        fail(2);
        assertThat(breaker.state()).isEqualTo(CircuitState.CLOSED);
        fail(1);
        assertThat(breaker.state()).isEqualTo(CircuitState.OPEN);
        assertThat(breaker.tryAcquire()).isEqualTo(REJECTED);
        assertThat(transitions).containsExactly(CircuitState.CLOSED, CircuitState.OPEN);
    }

    @Test
    void aSuccessResetsTheFailureCount() {
        fail(2);
        breaker.onSuccess(breaker.tryAcquire());
        fail(2);
        assertThat(breaker.state()).isEqualTo(CircuitState.CLOSED);
    }

    @Test
    void staysOpenForOpenForThenLetsExactlyOneProbeThrough() {
        fail(3);
        advance(Duration.ofMillis(4_999));
        assertThat(breaker.tryAcquire()).isEqualTo(REJECTED);
        advance(Duration.ofMillis(1));
        assertThat(breaker.tryAcquire()).isEqualTo(PROBE);
        assertThat(breaker.state()).isEqualTo(CircuitState.HALF_OPEN);
        assertThat(breaker.tryAcquire()).isEqualTo(REJECTED);
        advance(Duration.ofMinutes(1));
        assertThat(breaker.tryAcquire()).isEqualTo(REJECTED);
    }

    @Test
    void aSuccessfulProbeClosesTheCircuit() {
        fail(3);
        advance(Duration.ofSeconds(5));
        breaker.onSuccess(breaker.tryAcquire());
        assertThat(breaker.state()).isEqualTo(CircuitState.CLOSED);
        assertThat(breaker.tryAcquire()).isEqualTo(CALL);
        assertThat(transitions).containsExactly(
                CircuitState.CLOSED, CircuitState.OPEN, CircuitState.HALF_OPEN, CircuitState.CLOSED);
    }

    @Test
    void aFailedProbeOpensItAgainForAnotherOpenFor() {
        fail(3);
        advance(Duration.ofSeconds(5));
        breaker.onFailure(breaker.tryAcquire());
        assertThat(breaker.state()).isEqualTo(CircuitState.OPEN);
        advance(Duration.ofMillis(4_999));
        assertThat(breaker.tryAcquire()).isEqualTo(REJECTED);
        advance(Duration.ofMillis(1));
        assertThat(breaker.tryAcquire()).isEqualTo(PROBE);
    }

    @Test
    void lateResultsOfCallsMadeBeforeOpeningDoNotMoveIt() {
        CircuitBreaker.Permit early = breaker.tryAcquire();
        fail(3);
        breaker.onSuccess(early);
        breaker.onFailure(early);
        assertThat(breaker.state()).isEqualTo(CircuitState.OPEN);
        advance(Duration.ofSeconds(5));
        CircuitBreaker.Permit probe = breaker.tryAcquire();
        breaker.onFailure(CALL);
        assertThat(breaker.state()).isEqualTo(CircuitState.HALF_OPEN);
        breaker.onSuccess(probe);
        assertThat(breaker.state()).isEqualTo(CircuitState.CLOSED);
    }

    @Test
    void concurrentCallersGetOneProbe() throws Exception {
        fail(3);
        advance(Duration.ofSeconds(5));
        int threads = 8;
        List<Thread> started = new ArrayList<>();
        AtomicLong probes = new AtomicLong();
        for (int i = 0; i < threads; i++) {
            Thread thread = new Thread(() -> {
                for (int j = 0; j < 1_000; j++) {
                    if (breaker.tryAcquire() == PROBE) {
                        probes.incrementAndGet();
                    }
                }
            });
            thread.start();
            started.add(thread);
        }
        for (Thread thread : started) {
            thread.join();
        }
        assertThat(probes.get()).isEqualTo(1);
    }
}
