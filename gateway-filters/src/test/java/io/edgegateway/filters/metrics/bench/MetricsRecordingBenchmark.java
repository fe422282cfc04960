package io.edgegateway.filters.metrics.bench;

import io.edgegateway.filters.latency.LatencyWindow;
import io.edgegateway.filters.metrics.GatewayMetrics;
import io.edgegateway.filters.metrics.RouteMetrics;
import io.prometheus.client.Histogram;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * What the metrics cost one proxied request: the three records the server makes when a request
 * completes (the request counter and duration histogram, the upstream's response-head histogram,
 * and the route's live latency window), with durations that walk across the histogram buckets.
 * Metrics cannot be turned off in the gateway, so this is how their share of a request's CPU is
 * measured.
 *
 * <p>Not a test (surefire skips it); run it with {@link #main}, which takes JMH's options.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class MetricsRecordingBenchmark {

    private static final String UPSTREAM = "127.0.0.1:8080";

    private final GatewayMetrics metrics = new GatewayMetrics();
    private final RouteMetrics route = metrics.forRoute("bench");
    /** As the server holds it, on the upstream instance. */
    private final Histogram.Child upstreamDuration = metrics.upstreamDuration.labels("bench", UPSTREAM);
    private final LatencyWindow window = new LatencyWindow(Duration.ofSeconds(10), 10);

    /** Per thread, so the durations need no shared counter. */
    @State(Scope.Thread)
    public static class Durations {
        private long next;

        long next() {
            // 50 µs to about 105 ms in 1,024 steps: most buckets of the default layout get hits.
            next = (next + 1) & 1023;
            return 50_000 + next * next * 100;
        }
    }

    @Benchmark
    @Threads(1)
    public void oneThread(Durations durations) {
        recordOneRequest(durations.next());
    }

    @Benchmark
    @Threads(2)
    public void twoThreads(Durations durations) {
        recordOneRequest(durations.next());
    }

    private void recordOneRequest(long nanos) {
        upstreamDuration.observe((nanos - 20_000) / GatewayMetrics.NANOS_PER_SECOND);
        route.record("GET", 200, nanos);
        window.record(nanos);
    }

    public static void main(String[] args) throws Exception {
        new Runner(new OptionsBuilder()
                .parent(new CommandLineOptions(args))
                .include(MetricsRecordingBenchmark.class.getName())
                .build()).run();
    }
}
