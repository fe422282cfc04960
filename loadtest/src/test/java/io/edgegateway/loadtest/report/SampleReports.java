package io.edgegateway.loadtest.report;

import static io.edgegateway.loadtest.analysis.SyntheticRuns.settings;
import static io.edgegateway.loadtest.analysis.SyntheticRuns.tailed;

import io.edgegateway.loadtest.analysis.SloSpec;
import io.edgegateway.loadtest.run.RunResult;
import java.util.List;

/** Reports over synthetic runs, shaped like real ones, for the report tests. */
final class SampleReports {

    static final SloSpec SLO = SloSpec.parse("p99=12ms,target=90%,window=5s");

    private SampleReports() {
    }

    /** One 30-second run at 200 req/s whose P99 swells past the SLO's 12 ms in every other window. */
    static LoadReport singleRun() {
        return new LoadReport(null, List.of(tailed(settings(200, 8, 30), 200, 30, 2_000, 1, 1)), SLO);
    }

    /** A rate sweep whose latency bends after 400 req/s and whose last step cannot keep up. */
    static LoadReport rateSweep() {
        return new LoadReport("rate", List.of(
                step(100, 100, 2_000),
                step(200, 200, 2_100),
                step(400, 400, 2_300),
                step(800, 800, 6_000),
                step(1600, 1200, 30_000)), SLO);
    }

    private static RunResult step(double rate, int achieved, long baseMicros) {
        return tailed(settings(rate, 16, 10), achieved, 10, baseMicros, 0, 0);
    }
}
