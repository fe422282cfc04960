package io.edgegateway.loadtest.report;

import static io.edgegateway.loadtest.report.SvgLineChart.PALETTE;

import io.edgegateway.loadtest.analysis.SloEvaluation;
import io.edgegateway.loadtest.analysis.SloSpec;
import io.edgegateway.loadtest.analysis.SloWindow;
import io.edgegateway.loadtest.run.Interval;
import io.edgegateway.loadtest.run.RunResult;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;

/** The report's charts, each drawn from a {@link LoadReport} as inline SVG. */
final class ReportCharts {

    private ReportCharts() {
    }

    /** Latency by percentile, from the intended and from the actual send: the gap is coordinated omission. */
    static String distribution(LoadReport report) {
        SvgLineChart chart = new SvgLineChart("Latency by percentile", "percentile", AxisScale.PERCENTILE,
                "latency (ms)", report.isSweep() ? AxisScale.LOG : AxisScale.LINEAR);
        for (int i = 0; i < report.runs().size(); i++) {
            RunResult run = report.runs().get(i);
            String colour = colour(i);
            String name = report.isSweep() ? label(report, run) : "latency (intended send)";
            line(chart, name, colour, false, run.latency());
            line(chart, report.isSweep() ? "" : "service time (actual send)", colour, true, run.serviceTime());
        }
        return chart.toSvg();
    }

    /** P50, P99 and max of each interval; for a sweep, the P99 of each step's intervals. */
    static String overTime(LoadReport report) {
        SvgLineChart chart = new SvgLineChart(report.isSweep() ? "P99 over time, by step" : "Latency over time",
                "seconds into the run", AxisScale.LINEAR, "latency (ms)", AxisScale.LINEAR);
        if (report.isSweep()) {
            for (int i = 0; i < report.runs().size(); i++) {
                RunResult run = report.runs().get(i);
                overTime(chart, label(report, run), colour(i), run, latency -> latency.getValueAtPercentile(99) / 1000.0);
            }
        } else {
            RunResult run = report.runs().get(0);
            overTime(chart, "max", "#7f7f7f", run, latency -> latency.getMaxValue() / 1000.0);
            overTime(chart, "P99", PALETTE[1], run, latency -> latency.getValueAtPercentile(99) / 1000.0);
            overTime(chart, "P50", PALETTE[0], run, latency -> latency.getValueAtPercentile(50) / 1000.0);
        }
        return chart.toSvg();
    }

    /** A sweep's percentiles against what it swept, the knee marked. */
    static String sweepPercentiles(LoadReport report) {
        SvgLineChart chart = new SvgLineChart("Latency percentiles by " + report.sweepParameter(), sweepTitle(report),
                AxisScale.LINEAR, "latency (ms)", AxisScale.LOG);
        double[] percentiles = {50, 90, 99, 99.9};
        String[] names = {"P50", "P90", "P99", "P99.9"};
        double[] xs = report.runs().stream().mapToDouble(report::sweptValue).toArray();
        for (int p = 0; p < percentiles.length; p++) {
            double percentile = percentiles[p];
            chart.line(names[p], colour(p), false, xs,
                    report.runs().stream().mapToDouble(run -> run.percentileMillis(percentile)).toArray());
        }
        report.knee().ifPresent(knee -> chart.verticalMarker(report.sweptValue(knee.step()), "knee"));
        return chart.toSvg();
    }

    /** P99 over P50: per step for a sweep, per interval for a single run. */
    static String tailAmplification(LoadReport report) {
        if (report.isSweep()) {
            SvgLineChart chart = new SvgLineChart("Tail amplification (P99 / P50) by " + report.sweepParameter(),
                    sweepTitle(report), AxisScale.LINEAR, "P99 / P50", AxisScale.LINEAR);
            chart.line("P99 / P50", PALETTE[4], false, report.runs().stream().mapToDouble(report::sweptValue).toArray(),
                    report.runs().stream().mapToDouble(RunResult::tailAmplification).toArray());
            report.knee().ifPresent(knee -> chart.verticalMarker(report.sweptValue(knee.step()), "knee"));
            return chart.toSvg();
        }
        SvgLineChart chart = new SvgLineChart("Tail amplification (P99 / P50) over time", "seconds into the run",
                AxisScale.LINEAR, "P99 / P50", AxisScale.LINEAR);
        overTime(chart, "P99 / P50", PALETTE[4], report.runs().get(0), latency -> {
            long p50 = latency.getValueAtPercentile(50);
            return p50 == 0 ? Double.NaN : (double) latency.getValueAtPercentile(99) / p50;
        });
        return chart.toSvg();
    }

    /** The error budget left after each SLO window, from 100% down; below the zero line it is overspent. */
    static String burnDown(LoadReport report) {
        SloSpec spec = report.slo();
        SvgLineChart chart = new SvgLineChart("Error budget burn-down (" + spec.objective() + ", target "
                + Figures.number(spec.targetPercent()) + "%)", "seconds into the run", AxisScale.LINEAR,
                "budget remaining (%)", AxisScale.LINEAR);
        for (int i = 0; i < report.runs().size(); i++) {
            RunResult run = report.runs().get(i);
            SloEvaluation evaluation = SloEvaluation.of(spec, run);
            List<Double> remaining = evaluation.burnDown();
            double[] xs = new double[remaining.size() + 1];
            double[] ys = new double[remaining.size() + 1];
            ys[0] = 100;
            for (int w = 0; w < remaining.size(); w++) {
                SloWindow window = evaluation.windows().get(w);
                xs[w + 1] = window.offsetSeconds() + window.lengthSeconds();
                ys[w + 1] = remaining.get(w) * 100;
            }
            chart.line(report.isSweep() ? label(report, run) : "budget remaining", colour(i), false, xs, ys);
        }
        chart.horizontalMarker(0, "budget spent");
        return chart.toSvg();
    }

    /** Each SLO window, met or not. */
    static String windows(LoadReport report) {
        SloSpec spec = report.slo();
        SvgWindowStrip strip = new SvgWindowStrip("SLO windows (" + spec.objective() + " per "
                + spec.windowSeconds() + "s window)", spec.percentileName());
        for (RunResult run : report.runs()) {
            strip.row(report.isSweep() ? label(report, run) : "run", SloEvaluation.of(spec, run).windows());
        }
        return strip.toSvg();
    }

    /** How a run is named in legends: its swept value, or {@code run}. */
    static String label(LoadReport report, RunResult run) {
        if (!report.isSweep()) {
            return "run";
        }
        return report.sweepParameter().equals("rate")
                ? Figures.rate(run.requestedRate())
                : run.settings().connections() + " connections";
    }

    private static String sweepTitle(LoadReport report) {
        return report.sweepParameter().equals("rate") ? "requested rate (req/s)" : "connections";
    }

    private static String colour(int index) {
        return PALETTE[index % PALETTE.length];
    }

    private static void line(SvgLineChart chart, String name, String colour, boolean dashed, Histogram histogram) {
        List<double[]> points = new ArrayList<>();
        if (histogram.getTotalCount() > 0) {
            for (HistogramIterationValue step : histogram.percentiles(5)) {
                points.add(new double[] {step.getPercentileLevelIteratedTo(), step.getValueIteratedTo() / 1000.0});
            }
        }
        chart.line(name, colour, dashed, points.stream().mapToDouble(p -> p[0]).toArray(),
                points.stream().mapToDouble(p -> p[1]).toArray());
    }

    private static void overTime(SvgLineChart chart, String name, String colour, RunResult run,
            ToDoubleFunction<Histogram> figure) {
        List<Interval> busy = run.intervals().stream().filter(interval -> interval.requests() > 0).toList();
        chart.line(name, colour, false, busy.stream().mapToDouble(interval -> interval.offsetNanos() / 1e9).toArray(),
                busy.stream().mapToDouble(interval -> figure.applyAsDouble(interval.latency())).toArray());
    }
}
