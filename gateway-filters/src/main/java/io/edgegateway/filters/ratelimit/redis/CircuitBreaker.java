package io.edgegateway.filters.ratelimit.redis;

import io.edgegateway.config.CircuitBreakerConfig;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Stops calls to a shard that keeps failing, so requests fail in microseconds instead of each
 * waiting for a timeout: CLOSED opens after {@code failureThreshold} consecutive failures; OPEN
 * rejects everything for {@code openFor}; then HALF_OPEN lets exactly one probe through, whose
 * success closes the circuit and whose failure opens it again. It counts calls, whatever they
 * carry: a call that decides for many requests at once is one permit and one outcome. Lock-free;
 * the clock is a parameter.
 */
public final class CircuitBreaker {

    /** What {@link #tryAcquire()} grants; every granted permit is reported back exactly once. */
    public enum Permit {
        /** A call while closed. */
        CALL,
        /** The one call let through to find out whether the shard is back. */
        PROBE,
        /** Not let through: fail without calling the shard. */
        REJECTED
    }

    private record Phase(CircuitState state, long sinceNanos) { }

    private static final Phase CLOSED = new Phase(CircuitState.CLOSED, 0);

    private final int failureThreshold;
    private final long openForNanos;
    private final LongSupplier nanoTime;
    private final Consumer<CircuitState> onTransition;
    private final AtomicReference<Phase> phase = new AtomicReference<>(CLOSED);
    private final AtomicInteger consecutiveFailures = new AtomicInteger();

    /**
     * @param onTransition told every new state (e.g. to set a gauge), on the thread that caused it
     */
    public CircuitBreaker(CircuitBreakerConfig config, LongSupplier nanoTime, Consumer<CircuitState> onTransition) {
        if (config.failureThreshold() < 1) {
            throw new IllegalArgumentException("failureThreshold: " + config.failureThreshold() + " (expected: > 0)");
        }
        if (config.openFor().isNegative() || config.openFor().isZero()) {
            throw new IllegalArgumentException("openFor: " + config.openFor() + " (expected: > 0)");
        }
        this.failureThreshold = config.failureThreshold();
        this.openForNanos = config.openFor().toNanos();
        this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
        this.onTransition = Objects.requireNonNull(onTransition, "onTransition");
        onTransition.accept(CircuitState.CLOSED);
    }

    /**
     * Whether a call asked for now may be let through, without taking a permit: false while open
     * (until {@code openFor} has passed) and while a probe is out. For callers that gather work for
     * a later call, so as not to gather it when the call would be refused anyway.
     */
    public boolean allowsCalls() {
        Phase current = phase.get();
        return current == CLOSED
                || current.state() == CircuitState.OPEN && nanoTime.getAsLong() - current.sinceNanos() >= openForNanos;
    }

    /** A permit for one call, reported back once with {@link #onSuccess}, {@link #onFailure} or {@link #release}. */
    public Permit tryAcquire() {
        Phase current = phase.get();
        if (current == CLOSED) {
            return Permit.CALL;
        }
        if (current.state() == CircuitState.OPEN) {
            long now = nanoTime.getAsLong();
            if (now - current.sinceNanos() >= openForNanos
                    && phase.compareAndSet(current, new Phase(CircuitState.HALF_OPEN, now))) {
                onTransition.accept(CircuitState.HALF_OPEN);
                return Permit.PROBE;
            }
        }
        return Permit.REJECTED;
    }

    public void onSuccess(Permit permit) {
        if (permit == Permit.PROBE) {
            consecutiveFailures.set(0);
            phase.set(CLOSED);
            onTransition.accept(CircuitState.CLOSED);
        } else if (permit == Permit.CALL && consecutiveFailures.get() != 0) {
            consecutiveFailures.set(0);
        }
    }

    public void onFailure(Permit permit) {
        if (permit == Permit.PROBE) {
            open(phase.get());
        } else if (permit == Permit.CALL) {
            // Failures of calls made before the circuit opened do not count again.
            Phase current = phase.get();
            if (current == CLOSED && consecutiveFailures.incrementAndGet() >= failureThreshold) {
                open(current);
            }
        }
    }

    /**
     * Gives back a permit whose call failed for a reason already counted (e.g. a connection
     * attempt other calls waited on too, counted once by the first of them). A probe is never
     * given back: the circuit opens again, as if it had failed.
     */
    public void release(Permit permit) {
        if (permit == Permit.PROBE) {
            open(phase.get());
        }
    }

    private void open(Phase from) {
        if (phase.compareAndSet(from, new Phase(CircuitState.OPEN, nanoTime.getAsLong()))) {
            consecutiveFailures.set(0);
            onTransition.accept(CircuitState.OPEN);
        }
    }

    public CircuitState state() {
        return phase.get().state();
    }
}
