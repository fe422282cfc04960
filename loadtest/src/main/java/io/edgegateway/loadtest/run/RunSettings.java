package io.edgegateway.loadtest.run;

import java.net.URI;

/**
 * What one run was asked to do.
 *
 * @param url where requests go (GET)
 * @param rate requests per second at the start
 * @param rampTo requests per second at the end, rising (or falling) linearly; equal to {@code rate} for a constant rate
 * @param durationNanos how long requests are scheduled for
 * @param connections keep-alive connections, each carrying one request at a time
 * @param threads event-loop threads driving the connections
 * @param users distinct identities sent as {@code X-API-Key} (0: no header)
 * @param spread how identities are drawn
 * @param timeoutNanos how long a request may wait for its whole response before it counts as failed
 */
public record RunSettings(
        URI url,
        double rate,
        double rampTo,
        long durationNanos,
        int connections,
        int threads,
        int users,
        UserSpread spread,
        long timeoutNanos) {

    /** The rate scheduled at {@code offsetNanos} into the run. */
    public double rateAt(long offsetNanos) {
        double progress = durationNanos == 0 ? 0 : Math.min(1, Math.max(0, (double) offsetNanos / durationNanos));
        return rate + (rampTo - rate) * progress;
    }

    /** Requests the schedule holds over the whole run. */
    public long scheduledRequests() {
        double seconds = durationNanos / 1e9;
        return (long) Math.floor((rate + rampTo) / 2 * seconds);
    }

    /** A copy at another constant rate (a rate sweep's step). */
    public RunSettings withRate(double newRate) {
        return new RunSettings(url, newRate, newRate, durationNanos, connections, threads, users, spread, timeoutNanos);
    }

    /** A copy with another number of connections (a concurrency sweep's step). */
    public RunSettings withConnections(int newConnections) {
        return new RunSettings(url, rate, rampTo, durationNanos, newConnections, threads, users, spread, timeoutNanos);
    }
}
