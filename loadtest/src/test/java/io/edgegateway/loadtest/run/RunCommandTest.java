package io.edgegateway.loadtest.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgegateway.loadtest.upstream.LatencyShape;
import io.edgegateway.loadtest.upstream.MockUpstream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code loadtest run} from its command line to its printed summary and its report files. */
class RunCommandTest {

    @TempDir
    Path directory;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    private int run(String... args) throws Exception {
        return RunCommand.parse(args).execute(new PrintStream(out, true, StandardCharsets.UTF_8));
    }

    private String printed() {
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aRunPrintsItsFiguresAndWritesBothReports() throws Exception {
        Path json = directory.resolve("run.json");
        Path html = directory.resolve("run.html");
        try (MockUpstream upstream = MockUpstream.start(0, LatencyShape.parse("fixed:2ms"))) {
            int exit = run("--url", upstream.uri("/").toString(), "--rate", "200", "--duration", "2s", "--warmup", "0",
                    "--connections", "4", "--users", "10", "--slo", "p99=10s,target=50%,window=1s",
                    "--json", json.toString(), "--html", html.toString());

            assertEquals(0, exit, printed());
            assertTrue(printed().contains("requests 400, errors 0"), printed());
            assertTrue(printed().contains("status 200=400"), printed());
            assertTrue(printed().contains("P99.9="), printed());
            assertTrue(printed().contains("2/2 windows met"), printed());

            JsonNode report = new ObjectMapper().readTree(json.toFile());
            JsonNode only = report.path("runs").get(0);
            assertEquals(400, only.path("requests").asLong());
            assertEquals(400, only.path("statuses").path("200").asLong());
            assertTrue(only.path("latency_ms").path("p50").asDouble() >= 2, only.path("latency_ms").toString());
            assertTrue(only.path("slo").path("met").asBoolean());
            String page = Files.readString(html);
            assertTrue(page.startsWith("<!DOCTYPE html>") && page.contains("<svg"), "an HTML page with charts");
        }
    }

    @Test
    void aSweepRunsOneStepPerValueAndAMissedSloExitsThree() throws Exception {
        Path json = directory.resolve("sweep.json");
        try (MockUpstream upstream = MockUpstream.start(0, LatencyShape.parse("fixed:5ms"))) {
            int exit = run("--url", upstream.uri("/").toString(), "--duration", "1s", "--warmup", "0",
                    "--sweep", "rate=50,100", "--slo", "p50=1ms,target=99%,window=1s", "--json", json.toString());

            assertEquals(RunCommand.SLO_MISSED, exit, printed());
            JsonNode report = new ObjectMapper().readTree(json.toFile());
            assertEquals("rate", report.path("sweep").asText());
            assertEquals(2, report.path("runs").size());
            assertEquals(50, report.path("runs").get(0).path("requests").asLong());
            assertEquals(100, report.path("runs").get(1).path("requests").asLong());
        }
    }
}
