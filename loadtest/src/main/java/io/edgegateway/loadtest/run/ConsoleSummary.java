package io.edgegateway.loadtest.run;

import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;

/** The run's figures as a person reads them in a terminal. */
public final class ConsoleSummary {

    private static final double[] PERCENTILES = {50, 90, 95, 99, 99.9};

    private ConsoleSummary() {
    }

    public static void print(RunResult run, PrintStream out) {
        RunSettings settings = run.settings();
        out.printf(Locale.ROOT, "%s: %s for %.1fs over %d connections%s%n", settings.url(), rateText(settings),
                settings.durationNanos() / 1e9, settings.connections(),
                settings.users() > 0 ? ", " + settings.users() + " users (" + settings.spread() + ")" : "");
        out.printf(Locale.ROOT, "  requests %d, errors %d, achieved %.1f req/s of %.1f requested%n",
                run.requests(), run.errors(), run.achievedRate(), run.requestedRate());
        StringBuilder statuses = new StringBuilder("  status");
        for (Map.Entry<Integer, Long> entry : run.statuses().entrySet()) {
            statuses.append(' ').append(entry.getKey()).append('=').append(entry.getValue());
        }
        for (Map.Entry<String, Long> entry : run.failures().entrySet()) {
            statuses.append(' ').append(entry.getKey()).append('=').append(entry.getValue());
        }
        out.println(statuses);
        StringBuilder latency = new StringBuilder("  latency");
        for (double percentile : PERCENTILES) {
            latency.append(String.format(Locale.ROOT, " P%s=%s", label(percentile), millis(run.latency().getValueAtPercentile(percentile))));
        }
        latency.append(" max=").append(millis(run.latency().getMaxValue()));
        out.println(latency);
        if (run.successLatency().getTotalCount() < run.requests()) {
            out.printf(Locale.ROOT, "  answered 2xx/3xx only: P50=%s P99=%s P99.9=%s%n",
                    millis(run.successLatency().getValueAtPercentile(50)),
                    millis(run.successLatency().getValueAtPercentile(99)),
                    millis(run.successLatency().getValueAtPercentile(99.9)));
        }
        out.printf(Locale.ROOT, "  from actual send (uncorrected): P50=%s P99=%s; tail amplification P99/P50 = %.2f%n",
                millis(run.serviceTime().getValueAtPercentile(50)), millis(run.serviceTime().getValueAtPercentile(99)),
                run.tailAmplification());
        if (run.generatorFellBehind()) {
            out.printf(Locale.ROOT, "  WARNING: this generator sent requests up to %s late: it could not keep the rate itself"
                    + " (give it more --threads or CPU); latencies include that lag%n", millis(run.maxSendLagMicros()));
        }
        if (run.serverFellBehind()) {
            out.printf(Locale.ROOT, "  WARNING: the server kept up with only %.1f of %.1f req/s: requests queued behind it,"
                    + " and their waiting is in the latencies%n", run.achievedRate(), run.requestedRate());
        }
        if (run.connectionsLimited()) {
            out.printf(Locale.ROOT, "  NOTE: at %s per request, %.1f req/s keeps about all %d connections busy:"
                    + " raise --connections to see whether the server keeps up%n",
                    millis((long) run.serviceTime().getMean()), run.requestedRate(), run.settings().connections());
        }
    }

    private static String rateText(RunSettings settings) {
        return settings.rate() == settings.rampTo()
                ? String.format(Locale.ROOT, "%.1f req/s", settings.rate())
                : String.format(Locale.ROOT, "%.1f to %.1f req/s", settings.rate(), settings.rampTo());
    }

    private static String label(double percentile) {
        return percentile == Math.rint(percentile) ? String.valueOf((long) percentile) : String.valueOf(percentile);
    }

    static String millis(long micros) {
        return String.format(Locale.ROOT, "%.3fms", micros / 1000.0);
    }
}
