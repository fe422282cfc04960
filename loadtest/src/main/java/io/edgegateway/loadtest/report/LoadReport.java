package io.edgegateway.loadtest.report;

import io.edgegateway.loadtest.analysis.Knee;
import io.edgegateway.loadtest.analysis.SloEvaluation;
import io.edgegateway.loadtest.analysis.SloSpec;
import io.edgegateway.loadtest.run.RunResult;
import java.util.List;
import java.util.Optional;

/**
 * What a report shows: one run, or the steps of a sweep in order.
 *
 * @param sweepParameter {@code null} for a single run, else what the sweep varied: {@code rate} or {@code connections}
 * @param runs the runs, at least one
 * @param slo the objective to judge each run against, or {@code null}
 */
public record LoadReport(String sweepParameter, List<RunResult> runs, SloSpec slo) {

    public LoadReport {
        if (sweepParameter != null && !sweepParameter.equals("rate") && !sweepParameter.equals("connections")) {
            throw new IllegalArgumentException("sweepParameter: " + sweepParameter + " (expected: null, rate or connections)");
        }
        runs = List.copyOf(runs);
        if (runs.isEmpty()) {
            throw new IllegalArgumentException("runs: none (expected: at least one)");
        }
    }

    /** True when the runs are the steps of a sweep. */
    public boolean isSweep() {
        return sweepParameter != null;
    }

    /** The sweep's knee; empty for a single run. */
    public Optional<Knee> knee() {
        return isSweep() ? Knee.find(runs) : Optional.empty();
    }

    /** {@code run} judged against the objective; empty when there is none. */
    public Optional<SloEvaluation> evaluate(RunResult run) {
        return slo == null ? Optional.empty() : Optional.of(SloEvaluation.of(slo, run));
    }

    /** The swept value of {@code run}: its rate or its connections; its rate for a single run. */
    public double sweptValue(RunResult run) {
        return "connections".equals(sweepParameter) ? run.settings().connections() : run.requestedRate();
    }
}
