package io.edgegateway.loadtest.report;

import io.edgegateway.loadtest.analysis.Knee;
import io.edgegateway.loadtest.analysis.SloEvaluation;
import io.edgegateway.loadtest.analysis.SloWindow;
import io.edgegateway.loadtest.run.Interval;
import io.edgegateway.loadtest.run.RunResult;
import io.edgegateway.loadtest.run.RunSettings;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;

/**
 * The report as JSON for scripts (version {@value #VERSION}; scripts read it with jq, so its names
 * are a contract). Latencies are in milliseconds, durations in seconds; a figure that has no
 * value, such as the latency of a slice without requests, is {@code null}. Each run's
 * {@code latency_histogram} is its whole latency histogram (microseconds, {@link HistogramText}),
 * which {@code loadtest merge} adds up exactly across runs.
 */
public final class JsonReport {

    public static final int VERSION = 1;

    private static final double[] PERCENTILES = {50, 90, 95, 99, 99.9, 99.99};
    private static final String[] PERCENTILE_NAMES = {"p50", "p90", "p95", "p99", "p99_9", "p99_99"};

    private JsonReport() {
    }

    /** Writes the report to {@code file}, creating its folder if needed. */
    public static void write(LoadReport report, Path file) throws IOException {
        Path folder = file.toAbsolutePath().getParent();
        if (folder != null) {
            Files.createDirectories(folder);
        }
        Files.writeString(file, toJson(report), StandardCharsets.UTF_8);
    }

    /** The report as a JSON document. */
    public static String toJson(LoadReport report) {
        JsonWriter json = new JsonWriter().beginObject()
                .name("tool").value("edgegateway-loadtest")
                .name("version").value(VERSION)
                .name("sweep").value(report.sweepParameter())
                .name("runs").beginArray();
        for (RunResult run : report.runs()) {
            run(json, run, report.evaluate(run));
        }
        json.endArray().name("knee");
        Optional<Knee> knee = report.knee();
        if (knee.isPresent()) {
            RunSettings settings = knee.get().step().settings();
            json.beginObject()
                    .name("index").value(knee.get().index())
                    .name("rate").value(settings.rate())
                    .name("connections").value(settings.connections())
                    .name("reason").value(knee.get().reason())
                    .endObject();
        } else {
            json.nullValue();
        }
        return json.endObject().toString();
    }

    private static void run(JsonWriter json, RunResult run, Optional<SloEvaluation> slo) {
        RunSettings settings = run.settings();
        json.beginObject()
                .name("url").value(settings.url().toString())
                .name("rate").value(settings.rate())
                .name("ramp_to").value(settings.rampTo())
                .name("duration_s").value(settings.durationNanos() / 1e9)
                .name("connections").value(settings.connections())
                .name("threads").value(settings.threads())
                .name("users").value(settings.users())
                .name("spread").value(settings.spread().toString())
                .name("start").value(Instant.ofEpochMilli(run.startEpochMillis()).toString())
                .name("requests").value(run.requests())
                .name("errors").value(run.errors())
                .name("achieved_rate").value(run.achievedRate())
                .name("requested_rate").value(run.requestedRate())
                .name("elapsed_s").value(run.elapsedNanos() / 1e9)
                .name("server_fell_behind").value(run.serverFellBehind())
                .name("generator_fell_behind").value(run.generatorFellBehind())
                .name("max_send_lag_ms").value(run.maxSendLagMicros() / 1000.0);
        json.name("statuses").beginObject();
        for (Map.Entry<Integer, Long> status : run.statuses().entrySet()) {
            json.name(String.valueOf(status.getKey())).value(status.getValue());
        }
        json.endObject().name("failures").beginObject();
        for (Map.Entry<String, Long> failure : run.failures().entrySet()) {
            json.name(failure.getKey()).value(failure.getValue());
        }
        json.endObject();
        json.name("latency_ms");
        summary(json, run.latency());
        json.name("service_time_ms");
        summary(json, run.serviceTime());
        json.name("success_latency_ms");
        summary(json, run.successLatency());
        json.name("tail_amplification").value(run.tailAmplification());
        json.name("percentile_distribution").beginArray();
        if (run.latency().getTotalCount() > 0) {
            for (HistogramIterationValue step : run.latency().percentiles(5)) {
                json.beginObject()
                        .name("percentile").value(step.getPercentileLevelIteratedTo())
                        .name("latency_ms").value(step.getValueIteratedTo() / 1000.0)
                        .name("count").value(step.getTotalCountToThisValue())
                        .endObject();
            }
        }
        json.endArray();
        json.name("hdr_percentile_distribution").value(hdrText(run.latency()));
        json.name("latency_histogram").value(HistogramText.encode(run.latency()));
        json.name("intervals").beginArray();
        for (Interval interval : run.intervals()) {
            Histogram latency = interval.latency();
            json.beginObject()
                    .name("offset_s").value(interval.offsetNanos() / 1e9)
                    .name("length_s").value(interval.lengthNanos() / 1e9)
                    .name("requests").value(interval.requests())
                    .name("errors").value(interval.errors())
                    .name("p50_ms").value(millis(latency, latency.getValueAtPercentile(50)))
                    .name("p99_ms").value(millis(latency, latency.getValueAtPercentile(99)))
                    .name("max_ms").value(millis(latency, latency.getMaxValue()))
                    .endObject();
        }
        json.endArray().name("slo");
        if (slo.isPresent()) {
            slo(json, slo.get());
        } else {
            json.nullValue();
        }
        json.endObject();
    }

    /** Min, mean, standard deviation, the usual percentiles and max, in milliseconds; all null when empty. */
    static void summary(JsonWriter json, Histogram histogram) {
        json.beginObject()
                .name("min").value(millis(histogram, histogram.getMinValue()))
                .name("mean").value(millis(histogram, histogram.getMean()))
                .name("stdev").value(millis(histogram, histogram.getStdDeviation()));
        for (int i = 0; i < PERCENTILES.length; i++) {
            json.name(PERCENTILE_NAMES[i]).value(millis(histogram, histogram.getValueAtPercentile(PERCENTILES[i])));
        }
        json.name("max").value(millis(histogram, histogram.getMaxValue())).endObject();
    }

    /** A figure of {@code histogram} in milliseconds, or NaN (written null) when it holds nothing to take it from. */
    private static double millis(Histogram histogram, double micros) {
        return histogram.getTotalCount() == 0 ? Double.NaN : micros / 1000.0;
    }

    private static void slo(JsonWriter json, SloEvaluation slo) {
        json.beginObject()
                .name("objective").value(slo.spec().objective())
                .name("spec").value(slo.spec().toString())
                .name("threshold_ms").value(slo.spec().thresholdNanos() / 1e6)
                .name("target_percent").value(slo.spec().targetPercent())
                .name("window_s").value(slo.spec().windowSeconds())
                .name("windows").beginArray();
        for (SloWindow window : slo.windows()) {
            json.beginObject()
                    .name("offset_s").value(window.offsetSeconds())
                    .name("requests").value(window.requests())
                    .name("latency_ms").value(window.latencyMillis())
                    .name("met").value(window.met())
                    .endObject();
        }
        json.endArray()
                .name("compliance_percent").value(slo.windows().isEmpty() ? Double.NaN : slo.compliance() * 100)
                .name("budget_windows").value(slo.budgetWindows())
                .name("bad_windows").value(slo.badWindows())
                .name("budget_remaining_percent").value(slo.budgetRemaining() * 100)
                .name("met").value(slo.met())
                .endObject();
    }

    /** HdrHistogram's own percentile table, in milliseconds, as its tools (and plotters) read it. */
    private static String hdrText(Histogram histogram) {
        if (histogram.getTotalCount() == 0) {
            return "";
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            histogram.outputPercentileDistribution(out, 5, 1000.0);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
