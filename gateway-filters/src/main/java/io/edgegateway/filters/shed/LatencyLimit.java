package io.edgegateway.filters.shed;

import io.edgegateway.filters.latency.LatencySnapshot;

/**
 * The controller behind {@link LoadShedder}: a limit on requests in flight, moved once per slice so
 * that the P99 of completed requests sits at {@link #AIM} times {@code p99-above}.
 *
 * <p>In flight is what makes latency on any upstream that queues: by Little's law the latency of a
 * saturated upstream is in flight over its throughput, so the in flight that meets the aim is the
 * in flight seen times the aim over the P99 seen (a gradient, as in Netflix's Gradient2 and Envoy's
 * adaptive concurrency, but against the route's own threshold rather than a measured no-load
 * latency). One step of that lands on the aim; the steps are guarded so that noise does little harm:
 * <ul>
 *   <li><b>off</b> (no limit) until the window holds {@code min-samples} and both its P99 and the
 *       newest slice's are over the threshold; then the limit starts at the slice's peak in flight
 *       scaled by the gradient, unbounded, since the queue behind it is not yet measured;</li>
 *   <li><b>over</b> the threshold in two slices in a row (one could be a straggler's): cut from the
 *       lower of the limit and the peak in flight by the gradient of the lower P99, by at most
 *       {@link #MAX_CUT}; not while the backlog admitted before the last cut still drains (in flight
 *       at the slice's start above what even {@link Priority#HIGH} may fill), since that slice
 *       measures the old queue, not the limit;</li>
 *   <li>a cut that did not help (the P99 fell by less than a quarter of the share in flight was cut
 *       by) is undone, and the limit holds while the P99 stays within {@link #WORSE} of that: the
 *       upstream is as slow at any load, and a lower limit would only shed what it serves;</li>
 *   <li><b>under</b> {@link #LOW_BAND} of the threshold in two slices in a row while the limit is in
 *       use (peak in flight at least half of it): grow by the gradient, by at most the square root
 *       of the limit (the headroom Envoy and Gradient2 add), so growth is roughly additive;</li>
 *   <li>between the two (the band around the aim): hold, so the limit does not flap on noise;</li>
 *   <li><b>back off</b> once a slice under the band turned nobody away and used at most half the limit.</li>
 * </ul>
 * Not thread-safe: {@link LoadShedder#tick()} calls it from one thread at a time.
 */
final class LatencyLimit {

    /** Where the P99 is steered, as a share of the threshold: under it by about the slice's noise. */
    static final double AIM = 0.9;
    /** Under this share of the threshold the limit grows; between it and the threshold it holds. */
    static final double LOW_BAND = 0.8;
    /** The most the limit is cut in one slice, however far over the latency is. */
    static final double MAX_CUT = 0.5;
    static final int MIN_LIMIT = 2;
    /**
     * A P99 this much above the one a cut was found not to help against is new overload: cut again.
     * (A cut did not help when the P99 fell by less than a quarter of the share in flight was cut by:
     * on a queue it falls about as much as in flight.)
     */
    static final double WORSE = 1.1;
    static final int UNLIMITED = Integer.MAX_VALUE;

    private final long thresholdNanos;
    private final long minSamples;
    /** {@link Double#POSITIVE_INFINITY} while off. */
    private double limit = Double.POSITIVE_INFINITY;
    /** The previous slice's P99 if the limit has not moved since: a move needs two slices that agree. */
    private long unacted;
    /** The P99 that made the last cut, and the limit (or peak) it cut from; 0 when none is pending. */
    private long cutAtNanos;
    private double cutFrom;
    private double cutRatio;

    LatencyLimit(long thresholdNanos, long minSamples) {
        this.thresholdNanos = thresholdNanos;
        this.minSamples = minSamples;
    }

    /**
     * One slice's step.
     *
     * @param peakInFlight the most requests in flight at once during the slice
     * @param startInFlight requests in flight when the slice began
     * @param turnedAway whether the limit refused any request during the slice
     * @return the new limit, {@link #UNLIMITED} when off
     */
    int update(LatencySnapshot s, int peakInFlight, int startInFlight, boolean turnedAway) {
        long p99 = s.recentP99Nanos();
        long previous = unacted;
        unacted = p99;
        if (Double.isInfinite(limit)) {
            if (s.count() >= minSamples && s.p99Nanos() > thresholdNanos && p99 > thresholdNanos) {
                cut(peakInFlight, peakInFlight * gradient(p99), p99);
            }
        } else if (startInFlight > Math.ceil(limit * (1 + LoadShedder.HIGH_EXTRA))) {
            unacted = 0; // the backlog from before the last cut, not the limit, made this slice's latency
        } else if (p99 < LOW_BAND * thresholdNanos && !turnedAway && 2 * peakInFlight <= limit) {
            limit = Double.POSITIVE_INFINITY;
            cutAtNanos = 0;
        } else if (p99 > thresholdNanos && previous > thresholdNanos) {
            long seen = Math.min(p99, previous);
            double unhelped = 1 - (1 - cutRatio) / 4;
            if (cutAtNanos > 0 && seen >= unhelped * cutAtNanos && seen <= WORSE * cutAtNanos) {
                // The last cut did not bring latency down: in flight is not what makes it. Undo the
                // cut and hold, rather than shed what the upstream serves as slowly at any load.
                limit = Math.max(limit, cutFrom);
                unacted = 0;
            } else {
                double from = Math.min(limit, peakInFlight);
                cut(from, from * Math.max(MAX_CUT, gradient(seen)), seen);
            }
        } else if (p99 <= thresholdNanos) {
            cutAtNanos = 0; // latency answered: the next cut is judged afresh
            if (p99 < LOW_BAND * thresholdNanos && previous != 0 && previous < LOW_BAND * thresholdNanos
                    && 2 * peakInFlight >= limit) {
                limit += Math.max(1, Math.min(Math.sqrt(limit), limit * (gradient(Math.max(p99, previous)) - 1)));
                unacted = 0;
            }
        }
        return Double.isInfinite(limit) ? UNLIMITED : (int) Math.min(UNLIMITED - 1, Math.round(limit));
    }

    private void cut(double from, double to, long p99) {
        cutFrom = from;
        cutRatio = Math.min(1, Math.max(MIN_LIMIT, to) / from);
        cutAtNanos = p99;
        limit = Math.max(MIN_LIMIT, to);
        unacted = 0;
    }

    /** The factor that would bring a P99 of {@code p99Nanos} to the aim, if latency is in proportion to in flight. */
    private double gradient(long p99Nanos) {
        return p99Nanos == 0 ? Double.POSITIVE_INFINITY : AIM * thresholdNanos / p99Nanos;
    }
}
