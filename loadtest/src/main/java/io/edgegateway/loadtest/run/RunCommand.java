package io.edgegateway.loadtest.run;

import io.edgegateway.loadtest.CommandLineOptions;
import io.edgegateway.loadtest.DurationText;
import io.edgegateway.loadtest.UsageException;
import io.edgegateway.loadtest.analysis.Knee;
import io.edgegateway.loadtest.analysis.SloEvaluation;
import io.edgegateway.loadtest.analysis.SloSpec;
import io.edgegateway.loadtest.report.HtmlReport;
import io.edgegateway.loadtest.report.JsonReport;
import io.edgegateway.loadtest.report.LoadReport;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** {@code loadtest run}: one open-loop run, or a sweep of them, printed and optionally reported as JSON and HTML. */
public final class RunCommand {

    public static final String USAGE = String.join("\n",
            "usage: loadtest run --url URL --rate R --duration D [options]",
            "  --url URL          http://HOST[:PORT]/PATH, sent GET on keep-alive connections",
            "  --rate R           requests per second, scheduled open-loop (latency counts from each request's",
            "                     intended send time, so a stalled server cannot hide behind the generator)",
            "  --ramp-to R2       end the run at R2 requests/s, the rate changing linearly from R",
            "  --duration D       how long requests are scheduled, e.g. 30s, 2m",
            "  --connections C    keep-alive connections, one request in flight each (default 64);",
            "                     need at least rate x latency of them, or requests queue (and show it)",
            "  --threads N        event-loop threads (default 1)",
            "  --users U          send X-API-Key: user-N with N drawn from 1..U (default: no header)",
            "  --spread S         uniform (default), zipf or zipf:EXPONENT",
            "  --timeout D        a request unanswered after D fails as 'timeout' (default 30s)",
            "  --warmup D         run D first at the (first) rate, unrecorded, so the JIT's first seconds",
            "                     are not measured (default 2s; 0 to skip)",
            "  --sweep K=V1,V2..  one run per value, K being rate or connections, each for --duration",
            "  --slo SPEC         e.g. p99=200ms,target=99.5%,window=10s: windows whose P99 meets 200ms, out of all;",
            "                     exit code 3 when the target is missed",
            "  --json FILE        write the results, percentile distributions included, as JSON",
            "  --html FILE        write a self-contained report with charts");

    public static final int SLO_MISSED = 3;

    private static final Set<String> OPTIONS = Set.of("url", "rate", "ramp-to", "duration", "connections", "threads",
            "users", "spread", "timeout", "warmup", "sweep", "slo", "json", "html");

    private final RunSettings settings;
    private final long warmupNanos;
    private final String sweepParameter;
    private final List<String> sweepValues;
    private final SloSpec slo;
    private final Path json;
    private final Path html;

    private RunCommand(RunSettings settings, long warmupNanos, String sweepParameter, List<String> sweepValues,
            SloSpec slo, Path json, Path html) {
        this.settings = settings;
        this.warmupNanos = warmupNanos;
        this.sweepParameter = sweepParameter;
        this.sweepValues = sweepValues;
        this.slo = slo;
        this.json = json;
        this.html = html;
    }

    /** Reads the command line. @throws UsageException when it cannot be run as given */
    public static RunCommand parse(String[] args) {
        CommandLineOptions options = CommandLineOptions.parse(args, OPTIONS);
        URI url = url(options.required("url"));
        String sweepParameter = null;
        List<String> sweepValues = List.of();
        Optional<String> sweep = options.value("sweep");
        if (sweep.isPresent()) {
            int equals = sweep.get().indexOf('=');
            sweepParameter = equals < 0 ? "" : sweep.get().substring(0, equals).trim();
            if (!sweepParameter.equals("rate") && !sweepParameter.equals("connections")) {
                throw new UsageException("--sweep " + sweep.get() + " (expected: rate=R1,R2,... or connections=C1,C2,...)");
            }
            sweepValues = List.of(sweep.get().substring(equals + 1).split(","));
        }
        boolean ratesSwept = "rate".equals(sweepParameter);
        double rate = ratesSwept ? positive("sweep", sweepValues.get(0)) : positive("rate", options.required("rate"));
        double rampTo = options.value("ramp-to").map(text -> positive("ramp-to", text)).orElse(rate);
        if (sweepParameter != null && rampTo != rate) {
            throw new UsageException("--ramp-to and --sweep do not go together");
        }
        RunSettings settings = new RunSettings(
                url,
                rate,
                rampTo,
                duration(options, "duration", null),
                options.intValue("connections", 64, 1, 100_000),
                options.intValue("threads", 1, 1, 256),
                options.intValue("users", 0, 0, 100_000_000),
                options.value("spread").map(RunCommand::spread).orElse(UserSpread.UNIFORM),
                duration(options, "timeout", "30s"));
        if (settings.durationNanos() <= 0 || settings.timeoutNanos() <= 0) {
            throw new UsageException("--duration and --timeout must be longer than 0");
        }
        for (String value : sweepValues) {
            if (ratesSwept) {
                positive("sweep", value);
            } else if (sweepParameter != null) {
                connections(value);
            }
        }
        SloSpec slo = null;
        if (options.value("slo").isPresent()) {
            try {
                slo = SloSpec.parse(options.value("slo").get());
            } catch (IllegalArgumentException e) {
                throw new UsageException("--slo: " + e.getMessage());
            }
        }
        return new RunCommand(settings, duration(options, "warmup", "2s"),
                sweepParameter, sweepValues, slo,
                options.value("json").map(Path::of).orElse(null), options.value("html").map(Path::of).orElse(null));
    }

    /** Runs, prints and reports; returns the exit code. */
    public int execute(PrintStream out) throws InterruptedException, IOException {
        if (warmupNanos > 0) {
            out.printf("warming up for %s%n", DurationText.format(warmupNanos));
            LoadGenerator.run(new RunSettings(settings.url(), settings.rate(), settings.rate(), warmupNanos,
                    settings.connections(), settings.threads(), settings.users(), settings.spread(), settings.timeoutNanos()));
        }
        List<RunResult> runs = new ArrayList<>();
        for (RunSettings step : steps()) {
            RunResult run = LoadGenerator.run(step);
            ConsoleSummary.print(run, out);
            if (slo != null) {
                out.println("  " + SloEvaluation.of(slo, run).summary());
            }
            runs.add(run);
        }
        if (sweepParameter != null) {
            out.println(Knee.find(runs).map(Knee::summary).orElse("no knee: latency stayed flat over the sweep"));
        }
        LoadReport report = new LoadReport(sweepParameter, runs, slo);
        if (json != null) {
            JsonReport.write(report, json);
            out.println("wrote " + json);
        }
        if (html != null) {
            HtmlReport.write(report, html);
            out.println("wrote " + html);
        }
        boolean sloMissed = slo != null && runs.stream().anyMatch(run -> !SloEvaluation.of(slo, run).met());
        return sloMissed ? SLO_MISSED : 0;
    }

    private List<RunSettings> steps() {
        if (sweepParameter == null) {
            return List.of(settings);
        }
        return sweepValues.stream()
                .map(value -> sweepParameter.equals("rate")
                        ? settings.withRate(Double.parseDouble(value.trim()))
                        : settings.withConnections(connections(value)))
                .toList();
    }

    private static URI url(String text) {
        try {
            URI url = new URI(text);
            if (!"http".equalsIgnoreCase(url.getScheme()) || url.getHost() == null) {
                throw new UsageException("--url " + text + " (expected: http://HOST[:PORT]/PATH)");
            }
            return url;
        } catch (URISyntaxException e) {
            throw new UsageException("--url " + text + ": " + e.getReason());
        }
    }

    private static double positive(String name, String text) {
        try {
            double value = Double.parseDouble(text.trim());
            if (value > 0 && value <= 10_000_000) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new UsageException("--" + name + ": " + text + " (expected: requests per second, > 0)");
    }

    private static int connections(String text) {
        try {
            int value = Integer.parseInt(text.trim());
            if (value >= 1 && value <= 100_000) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new UsageException("--sweep connections: " + text + " (expected: an integer 1..100000)");
    }

    private static long duration(CommandLineOptions options, String name, String fallback) {
        String text = fallback == null ? options.required(name) : options.value(name).orElse(fallback);
        try {
            return DurationText.parseNanos(text);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--" + name + ": " + e.getMessage());
        }
    }

    private static UserSpread spread(String text) {
        try {
            return UserSpread.parse(text);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--spread: " + e.getMessage());
        }
    }
}
