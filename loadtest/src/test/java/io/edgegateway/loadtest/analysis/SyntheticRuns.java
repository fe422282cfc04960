package io.edgegateway.loadtest.analysis;

import io.edgegateway.loadtest.run.Interval;
import io.edgegateway.loadtest.run.RunResult;
import io.edgegateway.loadtest.run.RunSettings;
import io.edgegateway.loadtest.run.UserSpread;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.function.LongBinaryOperator;
import org.HdrHistogram.Histogram;

/** Run results made by hand, second by second, for tests of what reads them. */
public final class SyntheticRuns {

    public static final long START_EPOCH_MILLIS = 1_700_000_000_000L;

    private SyntheticRuns() {
    }

    /** A constant-rate run's settings lasting {@code seconds}. */
    public static RunSettings settings(double rate, int connections, int seconds) {
        return new RunSettings(URI.create("http://127.0.0.1:8080/api?a=1&b='x'"), rate, rate,
                seconds * 1_000_000_000L, connections, 2, 100, UserSpread.UNIFORM, 5_000_000_000L);
    }

    /** Second i holds {@code perSecond} requests that all take {@code micros[i]}; service time is half of it. */
    public static RunResult flat(RunSettings settings, int perSecond, long... micros) {
        return build(settings, perSecond, micros.length, (second, request) -> micros[(int) second], 0, 0);
    }

    /**
     * Second i holds {@code perSecond} requests with a long tail (P50 about 1.2x, P99 about 4x,
     * P99.9 about 8x {@code baseMicros}), creeping up 1% a second and twice as slow in the last three
     * seconds of every ten; service time is flatter.
     * The last {@code errorsPerSecond} of each second are answered 503 and {@code timeoutsPerSecond} more time out.
     */
    public static RunResult tailed(RunSettings settings, int perSecond, int seconds, long baseMicros,
            int errorsPerSecond, int timeoutsPerSecond) {
        return build(settings, perSecond, seconds, (second, request) -> {
            double quantile = (request + 0.5) / perSecond;
            double swell = (second % 10 >= 7 ? 2.0 : 1.0) * (1 + second / 100.0);
            return Math.round(baseMicros * swell / Math.pow(1 - quantile, 0.3));
        }, errorsPerSecond, timeoutsPerSecond);
    }

    private static RunResult build(RunSettings settings, int perSecond, int seconds, LongBinaryOperator micros,
            int errorsPerSecond, int timeoutsPerSecond) {
        Histogram latency = new Histogram(3);
        Histogram serviceTime = new Histogram(3);
        List<Interval> intervals = new ArrayList<>();
        for (int second = 0; second < seconds; second++) {
            Histogram slice = new Histogram(2);
            for (int request = 0; request < perSecond; request++) {
                long value = micros.applyAsLong(second, request);
                slice.recordValue(value);
                latency.recordValue(value);
                if (request < perSecond - timeoutsPerSecond) {
                    serviceTime.recordValue(Math.max(1, (long) Math.sqrt(value * (double) micros.applyAsLong(second, 0)) / 2));
                }
            }
            intervals.add(new Interval(second * 1_000_000_000L, 1_000_000_000L, slice,
                    errorsPerSecond + timeoutsPerSecond));
        }
        long failed = (long) timeoutsPerSecond * seconds;
        long errors = (long) errorsPerSecond * seconds;
        TreeMap<Integer, Long> statuses = new TreeMap<>();
        statuses.put(200, latency.getTotalCount() - failed - errors);
        if (errors > 0) {
            statuses.put(503, errors);
        }
        TreeMap<String, Long> failures = new TreeMap<>();
        if (failed > 0) {
            failures.put("timeout", failed);
        }
        return new RunResult(settings, START_EPOCH_MILLIS, seconds * 1_000_000_000L, seconds * 1_000_000_000L, latency, serviceTime,
                latency, intervals, statuses, failures, 2_000);
    }
}
