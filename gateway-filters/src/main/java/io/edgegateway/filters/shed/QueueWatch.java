package io.edgegateway.filters.shed;

/**
 * What the request path watches between two ticks while the limit is off, so that a step into
 * overload is met within the slice it starts in rather than at the next tick: by then, at 3x, the
 * upstream's queue holds two slices' worth of excess, and every request in it is late.
 *
 * <p>The judgement is Little's law: a request admitted now waits for those ahead of it, so in flight
 * over throughput is its latency on an upstream that queues, and the mean latency on one that does
 * not; a route under its threshold keeps in flight under throughput times the threshold, whatever
 * the load. Throughput is measured from when in flight first passed the {@link #at mark}, over at
 * least half the threshold: a burst the upstream has room for is served at a higher rate within
 * that time, while a queue's throughput stays what the upstream can do. Only a span that served no
 * slower than the slice before judges: an upstream that stalls (a heavy tail's cluster of slow
 * requests holding every worker) queues too, but that is not more load than it serves, and the
 * slices judge it. A span older than twice the threshold is begun again. Immutable; a tick or a
 * look replaces it.
 *
 * @param at in flight at which the request path looks ({@link Integer#MAX_VALUE}: never)
 * @param sinceNanos when in flight passed the mark, the span's start; {@link #UNSEEN} before
 * @param endedBefore requests that had ended by then
 * @param floorPerNano requests that ended per nanosecond over the slice before the watch
 */
record QueueWatch(int at, long sinceNanos, long endedBefore, double floorPerNano) {

    static final long UNSEEN = Long.MIN_VALUE;
    /** Below this many in flight, Poisson noise alone passes a mark too often to judge by. */
    static final int FLOOR = 10;
    /** Nothing to watch: the limit is on, or the window holds too few samples to judge. */
    static final QueueWatch NONE = new QueueWatch(Integer.MAX_VALUE, UNSEEN, 0, 0);

    /** A watch from a tick: look once in flight reaches {@code at}. */
    static QueueWatch armed(int at, double floorPerNano) {
        return new QueueWatch(at, UNSEEN, 0, floorPerNano);
    }

    /**
     * The in flight beyond which, at {@code perNano} requests ending per nanosecond, the newest
     * request would wait longer than {@code thresholdNanos}, with room for in flight's noise about its
     * mean (three standard deviations of a Poisson count), and never under {@link #FLOOR}.
     */
    static int markFor(double perNano, long thresholdNanos) {
        double atThreshold = perNano * thresholdNanos;
        return (int) Math.min(Integer.MAX_VALUE, Math.max(FLOOR, Math.ceil(atThreshold + 3 * Math.sqrt(atThreshold))));
    }

    boolean seen() {
        return sinceNanos != UNSEEN;
    }

    /** The span begins now, with {@code endedNow} requests ended so far. */
    QueueWatch seenAt(long nowNanos, long endedNow) {
        return new QueueWatch(at, nowNanos, endedNow, floorPerNano);
    }

    /** Not over after all: look again, over a new span, once in flight reaches {@code nextAt}. */
    QueueWatch armedAt(int nextAt) {
        return armed(nextAt, floorPerNano);
    }

    /** Requests ended per nanosecond over the span. */
    double throughputPerNano(long endedNow, long nowNanos) {
        long elapsed = nowNanos - sinceNanos;
        return elapsed <= 0 ? 0 : (endedNow - endedBefore) / (double) elapsed;
    }
}
