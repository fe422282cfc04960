package io.edgegateway.loadtest.report;

import static io.edgegateway.loadtest.analysis.SyntheticRuns.flat;
import static io.edgegateway.loadtest.analysis.SyntheticRuns.settings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgegateway.loadtest.UsageException;
import io.edgegateway.loadtest.run.RunResult;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MergeCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path folder;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    /** Two quiet phases around a slow one, as in a benchmark case whose instance failed in the middle. */
    private final RunResult before = flat(settings(1000, 8, 2), 1000, 1_000, 1_200);
    private final RunResult during = flat(settings(1000, 8, 1), 1000, 40_000);
    private final RunResult after = flat(settings(1000, 8, 2), 1000, 900, 1_100);

    @Test
    void percentilesOfTheMergeAreThoseOfOneHistogramOfAllRequests() throws Exception {
        Path merged = folder.resolve("out/merged.json");
        int exit = merge("--json", merged.toString(), report("before", before), report("during", during), report("after", after));

        Histogram expected = union(before, during, after);
        JsonNode json = JSON.readTree(Files.readString(merged));
        assertEquals(0, exit);
        assertEquals(3, json.get("reports").asInt());
        assertEquals(3, json.get("runs").asInt());
        assertEquals(5000, json.get("requests").asLong());
        JsonNode latency = json.get("latency_ms");
        assertEquals(expected.getValueAtPercentile(50) / 1000.0, latency.get("p50").asDouble());
        assertEquals(expected.getValueAtPercentile(99) / 1000.0, latency.get("p99").asDouble());
        assertEquals(expected.getValueAtPercentile(99.9) / 1000.0, latency.get("p99_9").asDouble());
        assertEquals(expected.getMaxValue() / 1000.0, latency.get("max").asDouble());
        assertEquals(expected, HistogramText.decode(json.get("latency_histogram").asText()));
        // A fifth of the requests took 40 ms: P50 is a quiet one, P99 a slow one.
        assertTrue(latency.get("p50").asDouble() < 1.3 && latency.get("p99").asDouble() > 39.9, latency.toString());
        String printed = out.toString(StandardCharsets.UTF_8);
        assertTrue(printed.contains("merged 3 runs from 3 reports: 5000 requests"), printed);
        assertTrue(printed.contains(" P99=" + String.format("%.3fms", expected.getValueAtPercentile(99) / 1000.0)), printed);
        assertTrue(printed.contains("wrote " + merged), printed);
    }

    @Test
    void takesEveryRunOfASweepAndMergesAMergeAgain() throws Exception {
        LoadReport sweep = SampleReports.rateSweep();
        Path sweepFile = folder.resolve("sweep.json");
        JsonReport.write(sweep, sweepFile);
        Path first = folder.resolve("first.json");
        Path second = folder.resolve("second.json");

        assertEquals(0, merge(sweepFile.toString(), "--json=" + first, report("before", before)));
        assertEquals(0, merge("--json", second.toString(), first.toString(), report("during", during)));

        List<RunResult> all = new ArrayList<>(sweep.runs());
        all.add(before);
        all.add(during);
        JsonNode json = JSON.readTree(Files.readString(second));
        assertEquals(2, json.get("runs").asInt());
        assertEquals(union(all.toArray(RunResult[]::new)), HistogramText.decode(json.get("latency_histogram").asText()));
        assertEquals(6, JSON.readTree(Files.readString(first)).get("runs").asInt());
    }

    @Test
    void refusesAReportWithoutWholeHistograms() throws Exception {
        Path old = Files.writeString(folder.resolve("old.json"), "{\"runs\": [{\"latency_ms\": {\"p99\": 1.0}}]}");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MergeCommand.parse(new String[] {old.toString()}).execute(new PrintStream(out, true, StandardCharsets.UTF_8)));
        assertTrue(e.getMessage().startsWith(old + ": no latency_histogram"), e.getMessage());
    }

    @Test
    void refusesACommandLineWithoutReportsOrWithUnknownOptions() {
        assertTrue(assertThrows(UsageException.class, () -> MergeCommand.parse(new String[] {"--json", "x.json"}))
                .getMessage().startsWith("no REPORT given"));
        assertTrue(assertThrows(UsageException.class, () -> MergeCommand.parse(new String[] {"--html", "x.html", "a.json"}))
                .getMessage().startsWith("unknown option --html"));
        assertTrue(assertThrows(UsageException.class, () -> MergeCommand.parse(new String[] {"a.json", "--json"}))
                .getMessage().contains("--json needs a value"));
    }

    private int merge(String... args) throws Exception {
        return MergeCommand.parse(args).execute(new PrintStream(out, true, StandardCharsets.UTF_8));
    }

    private String report(String name, RunResult run) throws Exception {
        Path file = folder.resolve(name + ".json");
        JsonReport.write(new LoadReport(null, List.of(run), null), file);
        return file.toString();
    }

    private static Histogram union(RunResult... runs) {
        Histogram union = new Histogram(3);
        for (RunResult run : runs) {
            union.add(run.latency());
        }
        return union;
    }
}
