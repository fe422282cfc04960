package io.edgegateway.loadtest.report;

import static io.edgegateway.loadtest.report.XmlText.escape;

import io.edgegateway.loadtest.analysis.SloEvaluation;
import io.edgegateway.loadtest.run.RunResult;
import io.edgegateway.loadtest.run.RunSettings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

/**
 * The report as one self-contained HTML file: headline figures and warnings, then charts drawn as
 * inline SVG, then tables. It loads nothing from elsewhere, so it can be mailed or archived as is;
 * its markup is also well-formed XML.
 */
public final class HtmlReport {

    private static final String STYLE = String.join("\n",
            "body { font-family: sans-serif; color: #222222; max-width: 960px; margin: 24px auto; padding: 0 16px; }",
            "h1 { font-size: 22px; margin-bottom: 4px; } h2 { font-size: 17px; margin-top: 32px; }",
            ".meta { color: #555555; margin-top: 0; }",
            ".tiles { display: flex; flex-wrap: wrap; gap: 10px; margin: 16px 0; }",
            ".tile { border: 1px solid #dddddd; border-radius: 6px; padding: 8px 14px; min-width: 96px; }",
            ".tile .value { font-size: 20px; font-weight: bold; } .tile .name { color: #666666; font-size: 12px; }",
            ".warning { background: #fff4d6; border-left: 4px solid #e0a000; padding: 8px 12px; margin: 8px 0; }",
            ".met { color: #1e7b34; } .missed { color: #b00020; font-weight: bold; }",
            "p.line { font-family: monospace; margin: 4px 0; }",
            "figure { margin: 16px 0; } figcaption { color: #555555; font-size: 13px; margin-top: 4px; }",
            "svg.chart { max-width: 100%; height: auto; border: 1px solid #eeeeee; }",
            "table { border-collapse: collapse; margin: 8px 0; font-size: 13px; }",
            "th, td { border: 1px solid #dddddd; padding: 3px 8px; text-align: left; }",
            "td.number { text-align: right; } tr.knee { background: #eef4ff; }");

    private HtmlReport() {
    }

    /** Writes the report to {@code file}, creating its folder if needed. */
    public static void write(LoadReport report, Path file) throws IOException {
        Path folder = file.toAbsolutePath().getParent();
        if (folder != null) {
            Files.createDirectories(folder);
        }
        Files.writeString(file, toHtml(report), StandardCharsets.UTF_8);
    }

    private static String rate(RunSettings settings) {
        return settings.rate() == settings.rampTo()
                ? Figures.number(settings.rate()) + " req/s"
                : Figures.number(settings.rate()) + " to " + Figures.number(settings.rampTo()) + " req/s";
    }

    /** The report as an HTML document. */
    public static String toHtml(LoadReport report) {
        RunResult first = report.runs().get(0);
        String target = first.settings().url().toString();
        StringBuilder html = new StringBuilder("<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\">\n<head>\n")
                .append("<meta charset=\"utf-8\"/>\n<title>Load test: ").append(escape(target)).append("</title>\n")
                .append("<style>\n").append(STYLE).append("\n</style>\n</head>\n<body>\n")
                .append("<h1>Load test report</h1>\n<p class=\"meta\">GET ").append(escape(target))
                .append(" &#183; started ").append(Instant.ofEpochMilli(first.startEpochMillis()))
                .append(" &#183; ").append(report.isSweep()
                        ? escape(report.sweepParameter()) + " sweep of " + report.runs().size() + " steps"
                        : "single run of " + Figures.number(first.settings().durationNanos() / 1e9) + " s at "
                                + rate(first.settings()))
                .append("</p>\n");
        warnings(html, report);
        html.append(HtmlTables.headline(report));
        verdicts(html, report);

        html.append("<h2>Latency distribution</h2>\n");
        figure(html, ReportCharts.distribution(report), report.isSweep()
                ? "One colour per step: solid lines count from each request's intended send time, dashed lines from its"
                        + " actual send (service time). Where they part, requests waited for the server before they could"
                        + " be sent; a closed-loop tool would report the dashed line."
                : "Solid: latency from each request's intended send time. Dashed: service time, from its actual send."
                        + " The gap between them is the waiting that a closed-loop tool would not see (coordinated omission).");
        html.append("<h2>Latency over time</h2>\n");
        figure(html, ReportCharts.overTime(report), "Each point is one interval of the run.");
        if (report.isSweep()) {
            html.append("<h2>Where latency bends</h2>\n");
            figure(html, ReportCharts.sweepPercentiles(report), "The knee is the last step before the P99 more than"
                    + " doubles over the flattest step before it, or the server stops keeping up with the rate.");
        }
        html.append("<h2>Tail amplification</h2>\n");
        figure(html, ReportCharts.tailAmplification(report), "How many times slower the P99 request is than the"
                + " median one; a rising line means queueing hits the tail first.");
        if (report.slo() != null) {
            html.append("<h2>Service level objective</h2>\n");
            figure(html, ReportCharts.burnDown(report), "The share of the error budget left after each window;"
                    + " below the dashed zero line the objective's budget is overspent.");
            figure(html, ReportCharts.windows(report), "Each cell is one window; hover for its figures.");
        }
        html.append("<h2>Percentiles</h2>\n").append(HtmlTables.percentiles(report));
        html.append("<h2>Statuses and failures</h2>\n").append(HtmlTables.statuses(report));
        return html.append("</body>\n</html>\n").toString();
    }

    private static void warnings(StringBuilder html, LoadReport report) {
        for (RunResult run : report.runs()) {
            String which = report.isSweep() ? " at " + ReportCharts.label(report, run) : "";
            if (run.serverFellBehind()) {
                paragraph(html, "warning", "The server fell behind" + which + ": it answered "
                        + Figures.rate(run.achievedRate()) + " of the " + Figures.rate(run.requestedRate())
                        + " asked, so requests queued and the latencies include that wait.");
            }
            if (run.connectionsLimited()) {
                paragraph(html, "warning", "The connections set the pace" + which + ": at the mean service time of "
                        + Figures.millis(run.serviceTime().getMean() / 1000.0) + ", the rate keeps about all "
                        + run.settings().connections() + " connections busy. Run with more connections to see whether"
                        + " the server itself keeps up.");
            }
            if (run.generatorFellBehind()) {
                paragraph(html, "warning", "The load generator fell behind" + which + ": it sent requests up to "
                        + Figures.millis(run.maxSendLagMicros() / 1000.0) + " late while a connection was free."
                        + " Give it more threads or CPU; these latencies overstate the server's.");
            }
        }
    }

    private static void verdicts(StringBuilder html, LoadReport report) {
        for (RunResult run : report.runs()) {
            Optional<SloEvaluation> slo = report.evaluate(run);
            slo.ifPresent(evaluation -> paragraph(html, evaluation.met() ? "line met" : "line missed",
                    (report.isSweep() ? ReportCharts.label(report, run) + ": " : "") + evaluation.summary()));
        }
        if (report.isSweep()) {
            paragraph(html, "line", report.knee().map(knee -> knee.summary())
                    .orElse("no knee: latency did not bend within the sweep, or was bent from its first step"));
        }
    }

    private static void figure(StringBuilder html, String svg, String caption) {
        html.append("<figure>\n").append(svg).append("\n<figcaption>").append(escape(caption)).append("</figcaption>\n</figure>\n");
    }

    private static void paragraph(StringBuilder html, String style, String text) {
        html.append("<p class=\"").append(style).append("\">").append(escape(text)).append("</p>\n");
    }
}
