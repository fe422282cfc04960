package io.edgegateway.loadtest.report;

import static io.edgegateway.loadtest.report.XmlText.escape;

import io.edgegateway.loadtest.analysis.SloEvaluation;
import io.edgegateway.loadtest.run.RunResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import org.HdrHistogram.Histogram;

/** The report's figures as HTML: the headline tiles and the tables. */
final class HtmlTables {

    private static final double[] PERCENTILES = {50, 90, 95, 99, 99.9, 99.99};
    private static final String[] PERCENTILE_NAMES = {"P50", "P90", "P95", "P99", "P99.9", "P99.99"};

    private HtmlTables() {
    }

    /** The figures a person looks at first: volume, errors, rate, and the latency that matters. */
    static String headline(LoadReport report) {
        List<RunResult> runs = report.runs();
        long requests = runs.stream().mapToLong(RunResult::requests).sum();
        long errors = runs.stream().mapToLong(RunResult::errors).sum();
        StringBuilder html = new StringBuilder("<div class=\"tiles\">\n");
        tile(html, "requests", Figures.count(requests));
        tile(html, "errors", Figures.count(errors) + (requests == 0 ? "" : " (" + Figures.percent((double) errors / requests) + ")"));
        if (report.isSweep()) {
            tile(html, "steps", String.valueOf(runs.size()));
            tile(html, "knee", report.knee().map(knee -> ReportCharts.label(report, knee.step())).orElse("none found"));
            return html.append("</div>\n").append(steps(report)).toString();
        }
        RunResult run = runs.get(0);
        tile(html, "achieved / requested", Figures.number(run.achievedRate()) + " / " + Figures.rate(run.requestedRate()));
        tile(html, "P50", Figures.millis(run.percentileMillis(50)));
        tile(html, "P99", Figures.millis(run.percentileMillis(99)));
        tile(html, "P99.9", Figures.millis(run.percentileMillis(99.9)));
        tile(html, "max", Figures.millis(run.latency().getMaxValue() / 1000.0));
        tile(html, "P99 / P50", Figures.number(run.tailAmplification()) + "x");
        return html.append("</div>\n").toString();
    }

    /** Latency and service time at the usual percentiles, two rows per run. */
    static String percentiles(LoadReport report) {
        StringBuilder html = new StringBuilder("<table>\n<tr><th>run</th><th>measured from</th>");
        for (String name : PERCENTILE_NAMES) {
            html.append("<th>").append(name).append("</th>");
        }
        html.append("<th>max</th><th>mean</th></tr>\n");
        for (RunResult run : report.runs()) {
            percentileRow(html, ReportCharts.label(report, run), "intended send", run.latency());
            percentileRow(html, ReportCharts.label(report, run), "actual send (service time)", run.serviceTime());
        }
        return html.append("</table>\n").toString();
    }

    /** Answers by status and requests without one by cause, one row per run. */
    static String statuses(LoadReport report) {
        TreeSet<Integer> codes = new TreeSet<>();
        TreeSet<String> causes = new TreeSet<>();
        for (RunResult run : report.runs()) {
            codes.addAll(run.statuses().keySet());
            causes.addAll(run.failures().keySet());
        }
        StringBuilder html = new StringBuilder("<table>\n<tr><th>run</th>");
        codes.forEach(code -> html.append("<th>").append(code).append("</th>"));
        causes.forEach(cause -> html.append("<th>").append(escape(cause)).append("</th>"));
        html.append("</tr>\n");
        for (RunResult run : report.runs()) {
            html.append("<tr><td>").append(escape(ReportCharts.label(report, run))).append("</td>");
            codes.forEach(code -> cell(html, Figures.count(run.statuses().getOrDefault(code, 0L))));
            causes.forEach(cause -> cell(html, Figures.count(run.failures().getOrDefault(cause, 0L))));
            html.append("</tr>\n");
        }
        return html.append("</table>\n").toString();
    }

    private static String steps(LoadReport report) {
        StringBuilder html = new StringBuilder("<table>\n<tr><th>step</th><th>requested</th><th>achieved</th>"
                + "<th>requests</th><th>errors</th><th>P50</th><th>P99</th><th>P99.9</th><th>max</th><th>P99 / P50</th>");
        html.append(report.slo() == null ? "" : "<th>SLO</th>").append("</tr>\n");
        int kneeIndex = report.knee().map(knee -> knee.index()).orElse(-1);
        List<RunResult> runs = report.runs();
        for (int i = 0; i < runs.size(); i++) {
            RunResult run = runs.get(i);
            html.append(i == kneeIndex ? "<tr class=\"knee\">" : "<tr>");
            html.append("<td>").append(escape(ReportCharts.label(report, run))).append(i == kneeIndex ? " (knee)" : "").append("</td>");
            cell(html, Figures.rate(run.requestedRate()));
            cell(html, Figures.rate(run.achievedRate()));
            cell(html, Figures.count(run.requests()));
            cell(html, Figures.count(run.errors()));
            cell(html, Figures.millis(run.percentileMillis(50)));
            cell(html, Figures.millis(run.percentileMillis(99)));
            cell(html, Figures.millis(run.percentileMillis(99.9)));
            cell(html, Figures.millis(run.latency().getMaxValue() / 1000.0));
            cell(html, Figures.number(run.tailAmplification()) + "x");
            Optional<SloEvaluation> slo = report.evaluate(run);
            slo.ifPresent(evaluation -> html.append(evaluation.met() ? "<td class=\"met\">met</td>" : "<td class=\"missed\">missed</td>"));
            html.append("</tr>\n");
        }
        return html.append("</table>\n").toString();
    }

    private static void percentileRow(StringBuilder html, String run, String from, Histogram histogram) {
        html.append("<tr><td>").append(escape(run)).append("</td><td>").append(escape(from)).append("</td>");
        List<String> cells = new ArrayList<>();
        boolean empty = histogram.getTotalCount() == 0;
        for (double percentile : PERCENTILES) {
            cells.add(empty ? "-" : Figures.millis(histogram.getValueAtPercentile(percentile) / 1000.0));
        }
        cells.add(empty ? "-" : Figures.millis(histogram.getMaxValue() / 1000.0));
        cells.add(empty ? "-" : Figures.millis(histogram.getMean() / 1000.0));
        cells.forEach(text -> cell(html, text));
        html.append("</tr>\n");
    }

    private static void tile(StringBuilder html, String name, String value) {
        html.append("<div class=\"tile\"><div class=\"value\">").append(escape(value))
                .append("</div><div class=\"name\">").append(escape(name)).append("</div></div>\n");
    }

    private static void cell(StringBuilder html, String text) {
        html.append("<td class=\"number\">").append(escape(text)).append("</td>");
    }
}
