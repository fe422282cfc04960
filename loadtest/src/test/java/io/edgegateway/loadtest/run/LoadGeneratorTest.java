package io.edgegateway.loadtest.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgegateway.loadtest.upstream.LatencyShape;
import io.edgegateway.loadtest.upstream.MockUpstream;
import io.edgegateway.loadtest.upstream.RecordedRequest;
import io.edgegateway.testkit.RefusingPort;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The generator against real servers on loopback. */
class LoadGeneratorTest {

    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    static RunSettings settings(URI url, double rate, long durationNanos, int connections) {
        return new RunSettings(url, rate, rate, durationNanos, connections, 1, 0, UserSpread.UNIFORM, 30 * SECOND);
    }

    @Test
    void sendsExactlyTheScheduledRequestsAndCountsTheirStatuses() throws InterruptedException {
        try (MockUpstream upstream = MockUpstream.start(0, LatencyShape.parse("none"))) {
            RunResult run = LoadGenerator.run(settings(upstream.uri("/?status=204"), 1000, 2 * SECOND, 8));

            assertEquals(2000, run.requests());
            assertEquals(Map.of(204, 2000L), run.statuses());
            assertEquals(0, run.errors());
            assertEquals(2000, run.successLatency().getTotalCount());
            assertEquals(2000, upstream.requestsServed());
            assertEquals(2, run.intervals().size());
            assertEquals(1000, run.intervals().get(0).requests());
            assertEquals(1000, run.intervals().get(1).requests());
        }
    }

    @Test
    void aRampSendsTheIntegralOfItsRate() throws InterruptedException {
        try (MockUpstream upstream = MockUpstream.start(0, LatencyShape.parse("none"))) {
            RunSettings ramp = new RunSettings(upstream.uri("/"), 100, 300, 2 * SECOND, 4, 1, 0, UserSpread.UNIFORM, 30 * SECOND);

            RunResult run = LoadGenerator.run(ramp);

            assertEquals(400, run.requests());
            assertTrue(run.intervals().get(0).requests() < run.intervals().get(1).requests(), run.intervals().toString());
        }
    }

    @Test
    void aFixedLatencyUpstreamShowsItsLatencyAtTheMedian() throws InterruptedException {
        try (MockUpstream upstream = MockUpstream.start(0, LatencyShape.parse("fixed:20ms"))) {
            RunResult run = LoadGenerator.run(settings(upstream.uri("/"), 200, 2 * SECOND, 16));

            double p50 = run.percentileMillis(50);
            assertTrue(p50 >= 20 && p50 <= 22.5, "P50 " + p50 + " ms for a fixed 20 ms upstream");
            assertEquals(400, run.statuses().get(200));
        }
    }

    @Test
    void tooFewConnectionsForTheRateAreNamedAsWhatSetThePace() throws InterruptedException {
        try (MockUpstream upstream = MockUpstream.start(0, LatencyShape.parse("fixed:20ms"))) {
            // Two connections at 20 ms each carry at most 100 req/s of the 200 asked.
            RunResult run = LoadGenerator.run(settings(upstream.uri("/"), 200, SECOND, 2));

            assertEquals(200, run.statuses().get(200));
            assertTrue(run.connectionsLimited());
            assertTrue(run.serverFellBehind(), "achieved " + run.achievedRate());
            assertTrue(run.latency().getMaxValue() >= 500_000, "the last requests waited about half the run");
        }
    }

    @Test
    void aSlowServerWithConnectionsToSpareDoesNotCountAsFallingBehind() throws InterruptedException {
        try (MockUpstream upstream = MockUpstream.start(0, LatencyShape.parse("fixed:500ms"))) {
            RunResult run = LoadGenerator.run(settings(upstream.uri("/"), 20, SECOND, 30));

            assertEquals(20, run.statuses().get(200));
            assertTrue(run.elapsedNanos() > SECOND, "the last answer came after the schedule ended");
            assertTrue(!run.serverFellBehind(), "every request went out on time: " + run.achievedRate() + " req/s");
        }
    }

    @Test
    void identitiesAreSentAsApiKeysFromThePool() throws InterruptedException {
        try (MockUpstream upstream = MockUpstream.start(0, LatencyShape.parse("none"))) {
            RunSettings settings = new RunSettings(upstream.uri("/"), 200, 200, SECOND, 2, 1, 5, UserSpread.parse("zipf"), 30 * SECOND);

            LoadGenerator.run(settings);

            assertEquals(200, upstream.recordedRequests().size());
            for (RecordedRequest request : upstream.recordedRequests()) {
                assertTrue(request.header("X-API-Key").matches("user-[1-5]"), request.header("X-API-Key"));
            }
            long first = upstream.recordedRequests().stream().filter(r -> r.header("X-API-Key").equals("user-1")).count();
            long fifth = upstream.recordedRequests().stream().filter(r -> r.header("X-API-Key").equals("user-5")).count();
            assertTrue(first > fifth, "zipf: user-1 " + first + " times, user-5 " + fifth);
        }
    }

    @Test
    void aServerThatIsNotThereFailsEveryRequestAsConnect() throws Exception {
        try (RefusingPort refusing = new RefusingPort()) {
            RunResult run = LoadGenerator.run(settings(URI.create("http://127.0.0.1:" + refusing.port() + "/"), 100, SECOND, 2));

            assertEquals(100, run.requests());
            assertEquals(Map.of("connect", 100L), run.failures());
            assertEquals(100, run.errors());
            assertEquals(0, run.successLatency().getTotalCount());
        }
    }

    @Test
    void anUnansweredRequestFailsAsTimeoutAndTheScheduleGoesOn() throws InterruptedException {
        try (MockUpstream upstream = MockUpstream.start(0, LatencyShape.parse("none"))) {
            RunSettings settings = new RunSettings(upstream.uri("/?delay=5s"), 20, 20, SECOND, 4, 1, 0, UserSpread.UNIFORM,
                    TimeUnit.MILLISECONDS.toNanos(200));

            RunResult run = LoadGenerator.run(settings);

            assertEquals(20, run.requests());
            assertEquals(Map.of("timeout", 20L), run.failures());
            assertTrue(run.latency().getMinValue() >= 200_000, "a timed-out request's latency runs to its timeout");
        }
    }
}
