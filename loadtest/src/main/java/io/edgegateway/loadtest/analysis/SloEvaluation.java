package io.edgegateway.loadtest.analysis;

import io.edgegateway.loadtest.run.Interval;
import io.edgegateway.loadtest.run.RunResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.HdrHistogram.Histogram;

/**
 * How a run did against an {@link SloSpec}, window by window, as an SRE's error budget counts it.
 *
 * <ul>
 *   <li>The run is cut into consecutive windows of the spec's length from its start; each of the
 *       run's intervals belongs to the window its start falls in, and their histograms are merged.
 *       A window covering less than half its length (the run's tail) is left out.</li>
 *   <li>A window is <em>met</em> when its latency at the spec's percentile is at most the threshold,
 *       to the histogram's precision (a value in the same histogram bucket as the threshold passes).
 *       A window with no request is met: nothing was slow in it.</li>
 *   <li>Compliance is met windows over windows; the objective is met when compliance reaches the target.</li>
 *   <li>The error budget is the (100 - target)% of the windows that may miss, a fraction of a window
 *       for short runs. Budget remaining is {@code 1 - bad / budget}: 1 when nothing is spent, 0 when
 *       all is, negative past it (-1 means twice the budget spent).</li>
 *   <li>A run shorter than half a window has no window: nothing is spent, but the objective is not
 *       met either, since nothing shows it was.</li>
 * </ul>
 *
 * @param spec the objective
 * @param windows the windows judged, in order
 */
public record SloEvaluation(SloSpec spec, List<SloWindow> windows) {

    public SloEvaluation {
        windows = List.copyOf(windows);
    }

    /** Judges {@code run} against {@code spec}. */
    public static SloEvaluation of(SloSpec spec, RunResult run) {
        long window = spec.windowNanos();
        long thresholdMicros = spec.thresholdNanos() / 1000;
        long end = 0;
        for (Interval interval : run.intervals()) {
            end = Math.max(end, interval.offsetNanos() + interval.lengthNanos());
        }
        int count = (int) ((end + window - 1) / window);
        List<SloWindow> windows = new ArrayList<>();
        for (int index = 0; index < count; index++) {
            long start = index * window;
            Histogram merged = null;
            long covered = 0;
            for (Interval interval : run.intervals()) {
                if (interval.offsetNanos() >= start && interval.offsetNanos() < start + window) {
                    if (merged == null) {
                        merged = new Histogram(interval.latency().getNumberOfSignificantValueDigits());
                    }
                    merged.add(interval.latency());
                    covered += interval.lengthNanos();
                }
            }
            if (merged == null || covered * 2 < window) {
                continue;
            }
            long requests = merged.getTotalCount();
            long value = requests == 0 ? 0 : merged.getValueAtPercentile(spec.percentile());
            boolean met = requests == 0 || merged.lowestEquivalentValue(value) <= thresholdMicros;
            windows.add(new SloWindow(start / 1_000_000_000L, covered / 1e9, requests, value / 1000.0, met));
        }
        return new SloEvaluation(spec, windows);
    }

    /** Windows whose latency was within the threshold. */
    public int metWindows() {
        return (int) windows.stream().filter(SloWindow::met).count();
    }

    /** Windows whose latency was over the threshold. */
    public int badWindows() {
        return windows.size() - metWindows();
    }

    /** Met windows over windows, from 0 to 1; 0 when there is no window. */
    public double compliance() {
        return windows.isEmpty() ? 0 : (double) metWindows() / windows.size();
    }

    /** How many windows may miss: (100 - target)% of them. */
    public double budgetWindows() {
        return windows.size() * (100 - spec.targetPercent()) / 100;
    }

    /** The share of the error budget left after the whole run: 1 untouched, negative when overspent. */
    public double budgetRemaining() {
        return remainingAfter(badWindows());
    }

    /** The budget remaining after each window, in order: the burn-down. */
    public List<Double> burnDown() {
        List<Double> series = new ArrayList<>(windows.size());
        int bad = 0;
        for (SloWindow window : windows) {
            bad += window.met() ? 0 : 1;
            series.add(remainingAfter(bad));
        }
        return series;
    }

    /** True when there was a window and compliance reached the target. */
    public boolean met() {
        return !windows.isEmpty() && compliance() * 100 >= spec.targetPercent();
    }

    /** One console line, e.g. {@code SLO p99<=200ms per 10s window: 5/6 windows met (83.3%, target 99.5%); ...}. */
    public String summary() {
        String head = "SLO " + spec.objective() + " per " + spec.windowSeconds() + "s window: ";
        if (windows.isEmpty()) {
            return head + "no window to judge (the run is shorter than half a window)";
        }
        return head + String.format(Locale.ROOT, "%d/%d windows met (%.1f%%, target %s%%); error budget remaining %.0f%%",
                metWindows(), windows.size(), compliance() * 100, SloSpec.plain(spec.targetPercent()),
                budgetRemaining() * 100);
    }

    private double remainingAfter(int bad) {
        double budget = budgetWindows();
        return budget == 0 ? 1 : 1 - bad / budget;
    }
}
