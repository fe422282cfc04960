package io.edgegateway.server.proxy;

/**
 * The arithmetic of {@code limits.min-body-rate}, on a clock the caller passes in: a body must bring
 * at least {@code minBytes} in every window of {@code windowNanos} spent waiting for it. Only time
 * with a read outstanding counts, so a body the gateway stopped reading (its upstream cannot take
 * more, or no upstream connection is free yet) is never blamed for the wait. The first window is
 * the grace period: nothing is judged before a whole window was waited.
 */
final class BodyRateCheck {

    private final long minBytes;
    private final long windowNanos;
    /** A read is out and no piece has answered it yet. */
    private boolean waiting;
    private long waitingSince;
    /** Time waited in the current window, up to when the last wait ended. */
    private long waitedNanos;
    /** Bytes received in the current window. */
    private long bytes;
    private boolean tooSlow;

    BodyRateCheck(long minBytes, long windowNanos) {
        this.minBytes = minBytes;
        this.windowNanos = windowNanos;
    }

    /** A new body begins: a fresh first window. */
    void start() {
        waiting = false;
        waitedNanos = 0;
        bytes = 0;
        tooSlow = false;
    }

    /** The gateway asked the client for more of the body. */
    void waiting(long now) {
        if (!waiting) {
            waiting = true;
            waitingSince = now;
        }
    }

    /** A piece of the body arrived; it ends the wait. */
    void received(long count, long now) {
        if (waiting) {
            waitedNanos += now - waitingSince;
            waiting = false;
        }
        closeWindowIfOver(now);
        bytes += count;
    }

    /** Whether a window that is over brought less than the minimum; a window that brought enough starts the next. */
    boolean tooSlow(long now) {
        closeWindowIfOver(now);
        return tooSlow;
    }

    /** Waiting time left until the current window is judged. */
    long nanosLeftInWindow(long now) {
        return Math.max(0, windowNanos - waited(now));
    }

    boolean isWaiting() {
        return waiting;
    }

    private void closeWindowIfOver(long now) {
        if (tooSlow || waited(now) < windowNanos) {
            return;
        }
        if (bytes < minBytes) {
            tooSlow = true;
            return;
        }
        bytes = 0;
        waitedNanos = 0;
        if (waiting) {
            waitingSince = now;
        }
    }

    private long waited(long now) {
        return waitedNanos + (waiting ? now - waitingSince : 0);
    }
}
