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
 * latency). One step of that lands on the aim; the steps are bounded so that a noisy slice does
 * little harm:
 * <ul>
 *   <li><b>off</b> (no limit) until the window holds {@code min-samples} and both its P99 and the
 *       newest slice's are over the threshold; then the limit starts at the peak in flight of that
 *       slice scaled by the gradient, unbounded, since the queue behind it is not yet measured;</li>
 *   <li><b>over</b> the threshold: cut by the gradient, to at most {@link #MAX_CUT} per slice, from
 *       the lower of the limit and the peak in flight; but not while the backlog admitted before the
 *       last cut is still draining (in flight at the slice's start above what even
 *       {@link Priority#HIGH} may fill), since that
 *       slice measures the old queue, not the limit;</li>
 *   <li><b>under</b> {@link #LOW_BAND} of the threshold while the limit is in use (peak in flight at
 *       least half of it): grow by the gradient, by at most the square root of the limit per slice
 *       (the headroom Envoy and Gradient2 add), so growth is roughly additive;</li>
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
    static final int UNLIMITED = Integer.MAX_VALUE;

    private final long thresholdNanos;
    private final long minSamples;
    /** {@link Double#POSITIVE_INFINITY} while off. */
    private double limit = Double.POSITIVE_INFINITY;
    /** The previous slice's P99 if the limit has not moved since: a move needs two slices that agree. */
    private long unacted;

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
                limit = Math.max(MIN_LIMIT, peakInFlight * gradient(p99));
                unacted = 0;
            }
        } else if (startInFlight > Math.ceil(limit * (1 + LoadShedder.HIGH_EXTRA))) {
            unacted = 0; // the backlog from before the last cut, not the limit, made this slice's latency
        } else if (p99 < LOW_BAND * thresholdNanos && !turnedAway && 2 * peakInFlight <= limit) {
            limit = Double.POSITIVE_INFINITY;
        } else if (p99 > thresholdNanos && previous > thresholdNanos) {
            limit = Math.max(MIN_LIMIT,
                    Math.min(limit, peakInFlight) * Math.max(MAX_CUT, gradient(Math.min(p99, previous))));
            unacted = 0;
        } else if (p99 < LOW_BAND * thresholdNanos && previous != 0 && previous < LOW_BAND * thresholdNanos
                && 2 * peakInFlight >= limit) {
            limit += Math.max(1, Math.min(Math.sqrt(limit), limit * (gradient(Math.max(p99, previous)) - 1)));
            unacted = 0;
        }
        return Double.isInfinite(limit) ? UNLIMITED : (int) Math.min(UNLIMITED - 1, Math.round(limit));
    }

    /** The factor that would bring a P99 of {@code p99Nanos} to the aim, if latency is in proportion to in flight. */
    private double gradient(long p99Nanos) {
        return p99Nanos == 0 ? Double.POSITIVE_INFINITY : AIM * thresholdNanos / p99Nanos;
    }
}
