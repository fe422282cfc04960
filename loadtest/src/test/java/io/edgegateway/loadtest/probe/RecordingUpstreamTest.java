package io.edgegateway.loadtest.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The recording upstream on a real socket, probed directly: it is the target and the observer at once. */
class RecordingUpstreamTest {

    @Test
    void recordsPipelinedRequestsAndAnswersEach(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("requests.log");
        try (RecordingUpstream upstream = RecordingUpstream.start("127.0.0.1", 0, Optional.of(log))) {
            ProbeTarget target = new ProbeTarget("127.0.0.1", upstream.port(), 0, Duration.ofSeconds(10));
            String two = HostileRequests.chunkedThenSmuggled("5\r\nhello\r\n0\r\n\r\n");
            ClientOutcome outcome = RawExchange.run(target, HostileRequests.bytes(two, "r-1"), 2);
            assertEquals(List.of(200, 200), outcome.statuses());
            List<UpstreamRecord> records = upstream.records();
            assertEquals(List.of("/pub/framing", "/smuggled"), records.stream().map(UpstreamRecord::target).toList());
            assertEquals("hello", records.get(0).bodyPrefix());
            assertEquals("r-1", records.get(1).probeId());
            assertEquals(records, UpstreamLogFile.read(log), "the log holds the same, for a probe in another process");
            assertEquals("POST /pub/framing body 5 B \"hello\"; /smuggled as a request",
                    UpstreamViews.FRAMING.describe(records, 0));
        }
    }

    @Test
    void aRunMatchesWhatArrivedToEachProbeById() throws Exception {
        try (RecordingUpstream upstream = RecordingUpstream.start("127.0.0.1", 0, Optional.empty())) {
            ProbeTarget target = new ProbeTarget("127.0.0.1", upstream.port(), 0, Duration.ofSeconds(10));
            List<Probe> probes = List.of(
                    Probe.raw("path", "dots", HostileRequests.get("/a/./b/../c"), 1, UpstreamViews.TARGETS),
                    Probe.raw("host", "at", HostileRequests.withHost("a@b"), 1, UpstreamViews.HOSTS),
                    Probe.raw("header", "underscore",
                            HostileRequests.head("GET /u HTTP/1.1", "X_Forwarded_For: 1.2.3.4"), 1, UpstreamViews.UNDERSCORES),
                    Probe.raw("framing", "skipped", HostileRequests.get("/never"), 1, UpstreamViews.TARGETS));
            ByteArrayOutputStream printed = new ByteArrayOutputStream();
            List<ProbeResult> results = new ProbeRunner(target, "t", Optional.of(upstream::records),
                    new PrintStream(printed, true, StandardCharsets.UTF_8)).run(probes, Set.of("framing"));
            assertEquals(3, results.size());
            assertEquals("200, open", results.get(0).client().summary());
            assertEquals("GET /a/./b/../c", results.get(0).upstream());
            assertEquals("GET /pub/host Host: a@b", results.get(1).upstream());
            assertEquals("X_Forwarded_For: 1.2.3.4 passed", results.get(2).upstream());
            assertTrue(upstream.records().stream().noneMatch(r -> r.target().equals("/never")));
            assertEquals(3, printed.toString(StandardCharsets.UTF_8).lines().count(), "one line per probe");
        }
    }
}
