package io.edgegateway.loadtest.report;

import static io.edgegateway.loadtest.analysis.SyntheticRuns.settings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgegateway.loadtest.analysis.SloEvaluation;
import io.edgegateway.loadtest.run.Interval;
import io.edgegateway.loadtest.run.RunResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonReportTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void describesASingleRun(@TempDir Path folder) throws Exception {
        LoadReport report = SampleReports.singleRun();
        RunResult run = report.runs().get(0);
        Path file = folder.resolve("reports/run.json");
        JsonReport.write(report, file);
        JsonNode root = JSON.readTree(Files.readString(file));

        assertEquals("edgegateway-loadtest", root.get("tool").asText());
        assertEquals(1, root.get("version").asInt());
        assertTrue(root.get("sweep").isNull());
        assertTrue(root.get("knee").isNull());
        assertEquals(1, root.get("runs").size());
        JsonNode json = root.get("runs").get(0);
        assertEquals("http://127.0.0.1:8080/api?a=1&b='x'", json.get("url").asText());
        assertEquals(200.0, json.get("rate").asDouble());
        assertEquals(200.0, json.get("ramp_to").asDouble());
        assertEquals(30.0, json.get("duration_s").asDouble());
        assertEquals(8, json.get("connections").asInt());
        assertEquals(2, json.get("threads").asInt());
        assertEquals(100, json.get("users").asInt());
        assertEquals("uniform", json.get("spread").asText());
        assertEquals("2023-11-14T22:13:20Z", json.get("start").asText());
        assertEquals(6000, json.get("requests").asLong());
        assertEquals(60, json.get("errors").asLong());
        assertEquals(200.0, json.get("achieved_rate").asDouble(), 1e-9);
        assertEquals(200.0, json.get("requested_rate").asDouble());
        assertEquals(30.0, json.get("elapsed_s").asDouble());
        assertFalse(json.get("server_fell_behind").asBoolean());
        assertFalse(json.get("generator_fell_behind").asBoolean());
        assertEquals(2.0, json.get("max_send_lag_ms").asDouble());
        assertEquals(5940, json.get("statuses").get("200").asLong());
        assertEquals(30, json.get("statuses").get("503").asLong());
        assertEquals(30, json.get("failures").get("timeout").asLong());

        for (String histogram : List.of("latency_ms", "service_time_ms")) {
            JsonNode summary = json.get(histogram);
            List<String> names = List.of("min", "mean", "stdev", "p50", "p90", "p95", "p99", "p99_9", "p99_99", "max");
            assertEquals(names, iterable(summary.fieldNames()));
            for (int i = 4; i < names.size(); i++) {
                assertTrue(summary.get(names.get(i)).asDouble() >= summary.get(names.get(i - 1)).asDouble(), histogram);
            }
        }
        assertEquals(run.percentileMillis(99), json.get("latency_ms").get("p99").asDouble());
        assertEquals(run.latency().getMaxValue() / 1000.0, json.get("latency_ms").get("max").asDouble());
        assertTrue(json.get("service_time_ms").get("p99").asDouble() < json.get("latency_ms").get("p99").asDouble());
        assertEquals(run.tailAmplification(), json.get("tail_amplification").asDouble());

        JsonNode distribution = json.get("percentile_distribution");
        assertTrue(distribution.size() > 20, distribution.toString());
        assertEquals(0.0, distribution.get(0).get("percentile").asDouble());
        assertEquals(100.0, distribution.get(distribution.size() - 1).get("percentile").asDouble());
        assertEquals(6000, distribution.get(distribution.size() - 1).get("count").asLong());
        for (int i = 1; i < distribution.size(); i++) {
            assertTrue(distribution.get(i).get("latency_ms").asDouble() >= distribution.get(i - 1).get("latency_ms").asDouble());
        }
        String hdr = json.get("hdr_percentile_distribution").asText();
        assertTrue(hdr.contains("Value     Percentile TotalCount 1/(1-Percentile)"), hdr);
        assertTrue(hdr.contains("#[Max     = "), hdr);
        assertEquals(run.latency(), HistogramText.decode(json.get("latency_histogram").asText()));

        JsonNode intervals = json.get("intervals");
        assertEquals(30, intervals.size());
        JsonNode third = intervals.get(2);
        assertEquals(List.of("offset_s", "length_s", "requests", "errors", "p50_ms", "p99_ms", "max_ms"), iterable(third.fieldNames()));
        assertEquals(2.0, third.get("offset_s").asDouble());
        assertEquals(1.0, third.get("length_s").asDouble());
        assertEquals(200, third.get("requests").asLong());
        assertEquals(2, third.get("errors").asLong());
        Interval interval = run.intervals().get(2);
        assertEquals(interval.latency().getValueAtPercentile(99) / 1000.0, third.get("p99_ms").asDouble());
    }

    @Test
    void judgesTheSlo() throws Exception {
        LoadReport report = SampleReports.singleRun();
        SloEvaluation evaluation = SloEvaluation.of(report.slo(), report.runs().get(0));
        JsonNode slo = JSON.readTree(JsonReport.toJson(report)).get("runs").get(0).get("slo");

        assertEquals("p99<=12ms", slo.get("objective").asText());
        assertEquals("p99=12ms,target=90%,window=5s", slo.get("spec").asText());
        assertEquals(12.0, slo.get("threshold_ms").asDouble());
        assertEquals(90.0, slo.get("target_percent").asDouble());
        assertEquals(5, slo.get("window_s").asInt());
        assertEquals(6, slo.get("windows").size());
        JsonNode window = slo.get("windows").get(1);
        assertEquals(5, window.get("offset_s").asInt());
        assertEquals(1000, window.get("requests").asLong());
        assertEquals(evaluation.windows().get(1).latencyMillis(), window.get("latency_ms").asDouble());
        assertEquals(evaluation.windows().get(1).met(), window.get("met").asBoolean());
        assertEquals(evaluation.compliance() * 100, slo.get("compliance_percent").asDouble(), 1e-9);
        assertEquals(0.6, slo.get("budget_windows").asDouble(), 1e-9);
        assertEquals(evaluation.badWindows(), slo.get("bad_windows").asInt());
        assertTrue(evaluation.badWindows() > 0 && evaluation.badWindows() < 6, "the sample should miss some windows");
        assertEquals(evaluation.budgetRemaining() * 100, slo.get("budget_remaining_percent").asDouble(), 1e-9);
        assertEquals(evaluation.met(), slo.get("met").asBoolean());
    }

    @Test
    void namesTheSweepAndItsKnee() throws Exception {
        JsonNode root = JSON.readTree(JsonReport.toJson(SampleReports.rateSweep()));

        assertEquals("rate", root.get("sweep").asText());
        assertEquals(5, root.get("runs").size());
        assertEquals(800.0, root.get("runs").get(3).get("rate").asDouble());
        assertTrue(root.get("runs").get(4).get("server_fell_behind").asBoolean());
        JsonNode knee = root.get("knee");
        assertEquals(2, knee.get("index").asInt());
        assertEquals(400.0, knee.get("rate").asDouble());
        assertEquals(16, knee.get("connections").asInt());
        assertTrue(knee.get("reason").asText().startsWith("step 3 P99"), knee.get("reason").asText());
    }

    @Test
    void writesNullWhereARunHasNoFigure() throws Exception {
        Histogram empty = new Histogram(3);
        RunResult silent = new RunResult(settings(100, 1, 2), 0, 0, 0, empty, new Histogram(3), new Histogram(3),
                List.of(new Interval(0, 1_000_000_000L, new Histogram(2), 0)), new TreeMap<>(), new TreeMap<>(), 0);
        String text = JsonReport.toJson(new LoadReport(null, List.of(silent), SampleReports.SLO));
        JsonNode run = JSON.readTree(text).get("runs").get(0);

        assertFalse(text.contains("NaN") || text.contains("Infinity"), text);
        assertTrue(run.get("latency_ms").get("p99").isNull());
        assertTrue(run.get("service_time_ms").get("mean").isNull());
        assertTrue(run.get("intervals").get(0).get("p50_ms").isNull());
        assertEquals(0, run.get("percentile_distribution").size());
        assertEquals("", run.get("hdr_percentile_distribution").asText());
        assertEquals(0, HistogramText.decode(run.get("latency_histogram").asText()).getTotalCount());
        assertTrue(run.get("slo").get("compliance_percent").isNull());
        assertFalse(run.get("slo").get("met").asBoolean());
    }

    private static List<String> iterable(Iterator<String> names) {
        List<String> list = new ArrayList<>();
        names.forEachRemaining(list::add);
        return list;
    }
}
