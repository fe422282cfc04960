package io.edgegateway.loadtest.run;

import org.HdrHistogram.Histogram;

/**
 * One slice of a run (a second by default): the latencies of the requests whose intended send
 * time fell in it, in microseconds, and how many of them failed.
 *
 * @param offsetNanos where the slice starts, from the run's start
 * @param lengthNanos how long the slice is
 * @param latency latencies from the intended send time, in microseconds
 * @param errors requests of the slice that failed (see {@link RunResult#errors()})
 */
public record Interval(long offsetNanos, long lengthNanos, Histogram latency, long errors) {

    /** Requests of the slice, failed ones included. */
    public long requests() {
        return latency.getTotalCount();
    }
}
