package io.edgegateway.loadtest.run;

import java.util.TreeMap;
import org.HdrHistogram.Histogram;

/**
 * What one event loop measured. Only that loop's thread writes it, so recording takes no lock;
 * the loops' recorders are merged once the run is over.
 */
final class LoopRecorder {

    /** An hour, in microseconds: the longest latency recorded exactly (longer ones are clamped). */
    static final long HIGHEST_MICROS = 3_600_000_000L;

    final Histogram latency = new Histogram(1, HIGHEST_MICROS, 3);
    final Histogram serviceTime = new Histogram(1, HIGHEST_MICROS, 3);
    final Histogram successLatency = new Histogram(1, HIGHEST_MICROS, 3);
    final Histogram[] intervals;
    final long[] intervalErrors;
    final long intervalNanos;
    final long[] statuses = new long[600];
    final TreeMap<String, Long> failures = new TreeMap<>();
    long maxSendLagNanos;
    long lastSendOffset;

    LoopRecorder(long durationNanos, long intervalNanos) {
        this.intervalNanos = intervalNanos;
        int count = (int) Math.max(1, (durationNanos + intervalNanos - 1) / intervalNanos);
        this.intervals = new Histogram[count];
        this.intervalErrors = new long[count];
        for (int i = 0; i < count; i++) {
            intervals[i] = new Histogram(1, HIGHEST_MICROS, 2);
        }
    }

    /** An answer to the request intended at {@code intendedOffset} and sent at {@code sentOffset}. */
    void answered(long intendedOffset, long sentOffset, long nowOffset, int status) {
        long latencyMicros = micros(nowOffset - intendedOffset);
        latency.recordValue(latencyMicros);
        serviceTime.recordValue(micros(nowOffset - sentOffset));
        int slice = slice(intendedOffset);
        intervals[slice].recordValue(latencyMicros);
        if (status >= 100 && status < statuses.length) {
            statuses[status]++;
        }
        if (status >= 500) {
            intervalErrors[slice]++;
        } else if (status >= 200 && status < 400) {
            successLatency.recordValue(latencyMicros);
        }
    }

    /** A request that got no answer: its latency runs to when that became known. */
    void failed(long intendedOffset, long nowOffset, String cause) {
        long latencyMicros = micros(nowOffset - intendedOffset);
        latency.recordValue(latencyMicros);
        int slice = slice(intendedOffset);
        intervals[slice].recordValue(latencyMicros);
        intervalErrors[slice]++;
        failures.merge(cause, 1L, Long::sum);
    }

    /** A request went out (or failed to) at {@code offsetNanos}. */
    void sent(long offsetNanos) {
        if (offsetNanos > lastSendOffset) {
            lastSendOffset = offsetNanos;
        }
    }

    /** A request sent {@code lagNanos} after its time although its connection was free. */
    void sendLag(long lagNanos) {
        if (lagNanos > maxSendLagNanos) {
            maxSendLagNanos = lagNanos;
        }
    }

    private int slice(long offsetNanos) {
        return (int) Math.min(intervals.length - 1, Math.max(0, offsetNanos / intervalNanos));
    }

    private static long micros(long nanos) {
        return Math.min(HIGHEST_MICROS, Math.max(1, nanos / 1000));
    }
}
