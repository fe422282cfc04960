package io.edgegateway.filters.shed;

import io.edgegateway.filters.latency.LatencySnapshot;

/**
 * The controller behind {@link LoadShedder}: a limit on requests in flight, moved once per slice so
 * that the P99 of completed requests sits at {@link #AIM} times {@code p99-above}.
 *
 * <p>Two estimates of the in flight that meets the aim, the lower taken:
 * <ul>
 *   <li><b>the gradient</b>: on any upstream that queues, latency in a steady state is in proportion
 *       to in flight, so the in flight that meets the aim is the in flight seen times the aim over the
 *       P99 seen (as in Netflix's Gradient2 and Envoy's adaptive concurrency, but against the route's
 *       own threshold rather than a measured no-load latency);</li>
 *   <li><b>the throughput cap</b>: by Little's law the mean latency is in flight over throughput, so at
 *       the throughput a slice completed, more in flight than throughput times the aim cannot meet the
 *       aim even on average. While a queue builds or drains the gradient is wrong (the P99 seen belongs
 *       to requests admitted at another in flight: at 4x overload the first slice's P99 is a quarter of
 *       what the queue it leaves behind will take), the cap is not.</li>
 * </ul>
 * The steps are guarded so that noise does little harm:
 * <ul>
 *   <li><b>off</b> (no limit) until the window holds {@code min-samples}, both its P99 and the
 *       newest slice's are over the threshold, and in flight went over throughput times the
 *       threshold (else, by Little's law, the mean latency stayed under the threshold: the tail is
 *       the upstream's own, not a queue's, and a limit would only shed what it serves); then the
 *       limit starts at the lower of the two estimates from the slice's peak in flight. Between two
 *       ticks a {@link QueueWatch} may start it sooner, at {@link #EARLY_SHARE} of the throughput cap
 *       ({@link #startedEarly}); from the next tick on that is judged like any other start;</li>
 *   <li><b>over</b> the threshold in two slices in a row (one could be a straggler's): cut from the
 *       lower of the limit and the peak in flight by the gradient of the lower P99, by at most
 *       {@link #MAX_CUT}, and to the throughput cap of the busier slice; not while the backlog admitted
 *       before the last cut still drains (in flight at the slice's start above what even
 *       {@link Priority#HIGH} may fill), since that slice measures the old queue, not the limit;</li>
 *   <li>a cut that did not help is undone, and the limit holds while the P99 stays within
 *       {@link #WORSE} of it: the upstream serves in parallel, as slowly at any load, and a lower
 *       limit would only shed what it serves. A cut did not help when the P99 fell by less than a
 *       quarter of the share in flight was cut by and throughput fell by more than half of it (on a
 *       queue, throughput holds and latency falls with in flight; on an upstream that is merely slow,
 *       the reverse). An upstream that slows down while it is cut keeps its throughput, so it is cut on;</li>
 *   <li><b>under</b> {@link #LOW_BAND} of the threshold in two slices in a row, and over the whole
 *       window too, while the limit is in use (peak in flight at least half of it): grow by the
 *       gradient, by at most the square root of the limit (the headroom Envoy and Gradient2 add), so
 *       growth is roughly additive. The window's word is needed because on a heavy tail a slice's P99
 *       swings by half either way and two quiet slices come often, while the P99 that counts, over
 *       many slices, is the window's (there it is about a fifth above a typical slice's);</li>
 *   <li>between the two (the band around the aim): hold, so the limit does not flap on noise;</li>
 *   <li><b>back off</b> once a slice under the band turned nobody away and used at most half the limit;</li>
 *   <li>a slice in which nothing completed teaches nothing: hold.</li>
 * </ul>
 * Not thread-safe but for {@link #earlyLimit}, which reads only final fields: {@link LoadShedder#tick()}
 * calls the rest from one thread at a time.
 */
final class LatencyLimit {

    /** Where the P99 is steered, as a share of the threshold: under it by about the slice's noise. */
    static final double AIM = 0.9;
    /** Under this share of the threshold the limit grows; between it and the threshold it holds. */
    static final double LOW_BAND = 0.8;
    /** The most the gradient cuts the limit in one slice, however far over the latency is. */
    static final double MAX_CUT = 0.5;
    static final int MIN_LIMIT = 2;
    /** A P99 this much above the one a cut was found not to help against is new overload: cut again. */
    static final double WORSE = 1.1;
    static final int UNLIMITED = Integer.MAX_VALUE;
    /**
     * The share of the throughput cap a {@link QueueWatch} starts the limit at: the cap is what the aim
     * allows on average, and the P99 sits above the mean by a margin the watch cannot see yet (on a
     * heavy tail about half as much again). Starting under it costs no goodput, since throughput times
     * two thirds of the threshold is still far more than the upstream serves at once; the slices
     * raise it once the window shows room.
     */
    static final double EARLY_SHARE = 0.75;

    private final long thresholdNanos;
    private final long minSamples;
    private final long sliceNanos;
    /** The aim over the slice's length: a slice's completions times this is its throughput cap. */
    private final double aimPerCompletion;
    /** {@link Double#POSITIVE_INFINITY} while off. */
    private double limit = Double.POSITIVE_INFINITY;
    /** The previous slice's P99 if the limit has not moved since (a move needs two slices that agree), and its completions. */
    private long unacted;
    private long unactedCompletions;
    /** The last cut, while it is to be judged: the P99 and completions that made it, what it cut from; 0 when none. */
    private long cutAtNanos;
    private long cutCompletions;
    private double cutFrom;
    private double cutRatio;
    /** The P99 a cut did not help against, which the limit holds at; 0 when not holding. */
    private long heldAtNanos;

    LatencyLimit(long thresholdNanos, long minSamples, long sliceNanos) {
        this.thresholdNanos = thresholdNanos;
        this.minSamples = minSamples;
        this.sliceNanos = sliceNanos;
        this.aimPerCompletion = AIM * thresholdNanos / sliceNanos;
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
        long completions = s.recentCount();
        if (completions == 0) {
            unacted = 0;
            return current();
        }
        long p99 = s.recentP99Nanos();
        long previous = unacted;
        long previousCompletions = unactedCompletions;
        unacted = p99;
        unactedCompletions = completions;
        if (Double.isInfinite(limit)) {
            if (s.count() >= minSamples && s.p99Nanos() > thresholdNanos && p99 > thresholdNanos
                    && peakInFlight > throughputCap(completions) / AIM) {
                cut(peakInFlight, Math.min(peakInFlight * gradient(p99), throughputCap(completions)), p99, completions);
            }
        } else if (startInFlight > Math.ceil(limit * (1 + LoadShedder.HIGH_EXTRA))) {
            unacted = 0; // the backlog from before the last cut, not the limit, made this slice's latency
        } else if (p99 < LOW_BAND * thresholdNanos && !turnedAway && 2 * peakInFlight <= limit) {
            limit = Double.POSITIVE_INFINITY;
            cutAtNanos = heldAtNanos = 0;
        } else if (p99 > thresholdNanos && previous > thresholdNanos) {
            overTwice(Math.min(p99, previous), Math.max(completions, previousCompletions), peakInFlight);
        } else if (p99 <= thresholdNanos) {
            cutAtNanos = heldAtNanos = 0; // latency answered: the next cut is judged afresh
            if (p99 < LOW_BAND * thresholdNanos && previous != 0 && previous < LOW_BAND * thresholdNanos
                    && 2 * peakInFlight >= limit && s.p99Nanos() < LOW_BAND * thresholdNanos) {
                limit += Math.max(1, Math.min(Math.sqrt(limit), limit * (gradient(Math.max(p99, previous)) - 1)));
                unacted = 0;
            }
        }
        return current();
    }

    /** The limit a {@link QueueWatch} turns on at: {@link #EARLY_SHARE} of the throughput cap at {@code perNano} requests ending per nanosecond. */
    int earlyLimit(double perNano) {
        return (int) Math.min(UNLIMITED - 1, Math.max(MIN_LIMIT, Math.round(EARLY_SHARE * perNano * sliceNanos * aimPerCompletion)));
    }

    /**
     * The request path turned the limit on at {@link #earlyLimit} with {@code inFlight} in flight,
     * between two updates; from the next update on, that is judged like any other cut. Ignored if
     * the limit is on already (an update came first).
     */
    void startedEarly(int inFlight, double perNano) {
        if (Double.isInfinite(limit)) {
            cut(inFlight, earlyLimit(perNano), (long) (inFlight / perNano), Math.round(perNano * sliceNanos));
        }
    }

    /** Two slices in a row over the threshold, the lower at {@code seen}, the busier with {@code completions}. */
    private void overTwice(long seen, long completions, int peakInFlight) {
        if (heldAtNanos > 0 && seen <= WORSE * heldAtNanos) {
            unacted = 0;
            return;
        }
        boolean latencyStayed = seen >= (1 - (1 - cutRatio) / 4) * cutAtNanos;
        boolean throughputFell = completions < (1 - (1 - cutRatio) / 2) * cutCompletions;
        if (cutAtNanos > 0 && latencyStayed && seen <= WORSE * cutAtNanos && throughputFell) {
            // In flight is not what makes the latency: undo the cut and hold, rather than shed what
            // the upstream serves as slowly at any load.
            limit = Math.max(limit, cutFrom);
            heldAtNanos = cutAtNanos;
            cutAtNanos = 0;
            unacted = 0;
            return;
        }
        heldAtNanos = 0;
        double from = Math.min(limit, peakInFlight);
        cut(from, Math.min(from * Math.max(MAX_CUT, gradient(seen)), throughputCap(completions)), seen, completions);
    }

    private void cut(double from, double to, long p99, long completions) {
        cutFrom = from;
        cutRatio = Math.min(1, Math.max(MIN_LIMIT, to) / from);
        cutAtNanos = p99;
        cutCompletions = completions;
        limit = Math.max(MIN_LIMIT, to);
        unacted = 0;
    }

    private int current() {
        return Double.isInfinite(limit) ? UNLIMITED : (int) Math.min(UNLIMITED - 1, Math.round(limit));
    }

    /** The most in flight that, at the throughput of {@code completions} in a slice, meets the aim on average. */
    private double throughputCap(long completions) {
        return completions * aimPerCompletion;
    }

    /** The factor that would bring a P99 of {@code p99Nanos} to the aim, if latency is in proportion to in flight. */
    private double gradient(long p99Nanos) {
        return p99Nanos == 0 ? Double.POSITIVE_INFINITY : AIM * thresholdNanos / p99Nanos;
    }
}
