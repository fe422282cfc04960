package io.edgegateway.loadtest.run;

import java.util.List;
import java.util.SortedMap;
import org.HdrHistogram.Histogram;

/**
 * What one run measured. Latencies are in microseconds and counted from each request's intended
 * send time, so time a request spent waiting behind a stalled one is in its latency (no
 * coordinated omission); {@code serviceTime} holds the same requests counted from when they were
 * actually written, as a closed-loop tool such as wrk would report them.
 *
 * @param settings what the run was asked to do
 * @param startEpochMillis wall-clock start, for the report
 * @param elapsedNanos from the first scheduled send to the last answer (or failure)
 * @param sendingNanos from the first scheduled send to the last actual one, or the scheduled
 *     duration if that is longer: how long sending the schedule took
 * @param latency every request's latency from its intended send time, failed ones included
 * @param serviceTime every answered request's latency from its actual send time
 * @param successLatency the latency, from the intended send time, of the requests answered 2xx or
 *     3xx: what the callers that were served waited (a shed or failed request answers fast)
 * @param intervals the run in slices, in order
 * @param statuses answers by HTTP status code
 * @param failures requests that got no answer, by cause ({@code connect}, {@code closed}, {@code timeout})
 * @param maxSendLagMicros the most this generator ran behind: a request sent after its intended
 *     time while its connection was free, or its event loop late on a 1 ms probe ({@link LoopLagProbe})
 */
public record RunResult(
        RunSettings settings,
        long startEpochMillis,
        long elapsedNanos,
        long sendingNanos,
        Histogram latency,
        Histogram serviceTime,
        Histogram successLatency,
        List<Interval> intervals,
        SortedMap<Integer, Long> statuses,
        SortedMap<String, Long> failures,
        long maxSendLagMicros) {

    /** The lag beyond which the generator says it could not keep the schedule itself. */
    public static final long SEND_LAG_LIMIT_MICROS = 10_000;

    /** Requests scheduled, answered or not. */
    public long requests() {
        return latency.getTotalCount();
    }

    /** Requests answered 5xx or not answered at all. */
    public long errors() {
        long errors = failures.values().stream().mapToLong(Long::longValue).sum();
        for (var entry : statuses.entrySet()) {
            if (entry.getKey() >= 500) {
                errors += entry.getValue();
            }
        }
        return errors;
    }

    /**
     * Requests sent per second. Below the requested rate only when requests could not go out on
     * time because every connection was still waiting for the server: a slow tail with connections
     * to spare does not lower it.
     */
    public double achievedRate() {
        return sendingNanos == 0 ? 0 : requests() * 1e9 / sendingNanos;
    }

    /** The rate the schedule asked for on average over the run. */
    public double requestedRate() {
        return (settings.rate() + settings.rampTo()) / 2;
    }

    /** True when the requests could not all go out on time: the server (or the connections, see {@link #connectionsLimited()}) is slower than the rate. */
    public boolean serverFellBehind() {
        return achievedRate() < requestedRate() * 0.95;
    }

    /**
     * True when the connections, not the server, set the pace: at the server's mean service time,
     * the requested rate needs (nearly) every connection busy all the time. More {@code --connections}
     * would tell whether the server itself keeps up.
     */
    public boolean connectionsLimited() {
        double busyConnections = requestedRate() * serviceTime.getMean() / 1e6;
        return busyConnections >= settings.connections() * 0.9;
    }

    /** True when this generator could not send requests at their intended time (too little CPU, too few threads). */
    public boolean generatorFellBehind() {
        return maxSendLagMicros > SEND_LAG_LIMIT_MICROS;
    }

    /** The latency at {@code percentile} (0-100), in milliseconds. */
    public double percentileMillis(double percentile) {
        return latency.getValueAtPercentile(percentile) / 1000.0;
    }

    /** P99 over P50: how much worse the tail is than the typical request. */
    public double tailAmplification() {
        long p50 = latency.getValueAtPercentile(50);
        return p50 == 0 ? 0 : (double) latency.getValueAtPercentile(99) / p50;
    }
}
