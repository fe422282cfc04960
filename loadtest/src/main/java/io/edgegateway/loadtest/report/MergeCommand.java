package io.edgegateway.loadtest.report;

import io.edgegateway.loadtest.CommandLineOptions;
import io.edgegateway.loadtest.UsageException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.HdrHistogram.Histogram;

/**
 * {@code loadtest merge}: the latency of several runs taken together, such as the phases of one
 * benchmark case. It adds up the runs' whole histograms, so a percentile of the union is exact;
 * combining the runs' percentile tables could only bound it.
 */
public final class MergeCommand {

    public static final String USAGE = String.join("\n",
            "usage: loadtest merge [--json FILE] REPORT...",
            "  REPORT       a JSON report of loadtest run --json (every run in it) or of merge --json",
            "  prints the requests and latency percentiles of all the reports' runs together, from their",
            "  whole latency histograms (exact, as if one run had recorded them all)",
            "  --json FILE  also write them as JSON: reports, runs, requests, latency_ms { min mean stdev",
            "               p50 p90 p95 p99 p99_9 p99_99 max } (null when no requests), latency_histogram");

    private static final Set<String> OPTIONS = Set.of("json");
    private static final double[] PERCENTILES = {50, 90, 95, 99, 99.9};
    private static final String[] LABELS = {"P50", "P90", "P95", "P99", "P99.9"};

    private final List<Path> reports;
    private final Path json;

    private MergeCommand(List<Path> reports, Path json) {
        this.reports = reports;
        this.json = json;
    }

    /** Reads the command line: options anywhere, every other argument a report. @throws UsageException */
    public static MergeCommand parse(String[] args) {
        List<String> options = new ArrayList<>();
        List<Path> reports = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].startsWith("--")) {
                options.add(args[i]);
                if (!args[i].contains("=") && i + 1 < args.length) {
                    options.add(args[++i]);
                }
            } else {
                reports.add(Path.of(args[i]));
            }
        }
        CommandLineOptions parsed = CommandLineOptions.parse(options.toArray(String[]::new), OPTIONS);
        if (reports.isEmpty()) {
            throw new UsageException("no REPORT given (expected: one or more JSON reports)");
        }
        return new MergeCommand(List.copyOf(reports), parsed.value("json").map(Path::of).orElse(null));
    }

    /** Merges, prints and optionally writes the JSON; returns the exit code. */
    public int execute(PrintStream out) throws IOException {
        Histogram merged = null;
        int runs = 0;
        for (Path report : reports) {
            for (Histogram run : ReportLatencies.read(report)) {
                if (merged == null) {
                    merged = run.copy();
                    merged.setAutoResize(true);
                } else {
                    merged.add(run);
                }
                runs++;
            }
        }
        out.printf(Locale.ROOT, "merged %d runs from %d reports: %d requests%n", runs, reports.size(), merged.getTotalCount());
        if (merged.getTotalCount() > 0) {
            StringBuilder latency = new StringBuilder("  latency");
            for (int i = 0; i < PERCENTILES.length; i++) {
                latency.append(' ').append(LABELS[i]).append('=').append(millis(merged.getValueAtPercentile(PERCENTILES[i])));
            }
            out.println(latency.append(" max=").append(millis(merged.getMaxValue())));
        }
        if (json != null) {
            write(merged, runs);
            out.println("wrote " + json);
        }
        return 0;
    }

    private void write(Histogram merged, int runs) throws IOException {
        JsonWriter writer = new JsonWriter().beginObject()
                .name("tool").value("edgegateway-loadtest")
                .name("version").value(JsonReport.VERSION)
                .name("reports").value(reports.size())
                .name("runs").value(runs)
                .name("requests").value(merged.getTotalCount())
                .name("latency_ms");
        JsonReport.summary(writer, merged);
        writer.name("latency_histogram").value(HistogramText.encode(merged)).endObject();
        Path folder = json.toAbsolutePath().getParent();
        if (folder != null) {
            Files.createDirectories(folder);
        }
        Files.writeString(json, writer.toString(), StandardCharsets.UTF_8);
    }

    private static String millis(long micros) {
        return String.format(Locale.ROOT, "%.3fms", micros / 1000.0);
    }
}
