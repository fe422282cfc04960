package io.edgegateway.loadtest.analysis;

import static io.edgegateway.loadtest.analysis.SyntheticRuns.flat;
import static io.edgegateway.loadtest.analysis.SyntheticRuns.settings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgegateway.loadtest.run.Interval;
import io.edgegateway.loadtest.run.RunResult;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class SloEvaluationTest {

    private static final SloSpec P99_200MS = SloSpec.parse("p99=200ms,target=99.5%,window=10s");

    @Test
    void judgesEachWindowOnItsMergedSeconds() {
        long[] micros = new long[60];
        Arrays.fill(micros, 50_000);
        micros[23] = 900_000; // one slow second spoils the third window
        SloEvaluation evaluation = SloEvaluation.of(P99_200MS, flat(settings(100, 4, 60), 100, micros));

        assertEquals(6, evaluation.windows().size());
        SloWindow third = evaluation.windows().get(2);
        assertEquals(20, third.offsetSeconds());
        assertEquals(10.0, third.lengthSeconds());
        assertEquals(1000, third.requests());
        assertFalse(third.met());
        assertEquals(900, third.latencyMillis(), 9);
        assertTrue(evaluation.windows().get(0).met());
        assertEquals(50, evaluation.windows().get(0).latencyMillis(), 0.5);
        assertEquals(5, evaluation.metWindows());
        assertEquals(1, evaluation.badWindows());
        assertFalse(evaluation.met());
    }

    @Test
    void errorBudgetIsTheTargetsShareOfWindowsAndMayGoNegative() {
        long[] micros = new long[60];
        Arrays.fill(micros, 50_000);
        micros[23] = 900_000;
        SloEvaluation evaluation = SloEvaluation.of(P99_200MS, flat(settings(100, 4, 60), 100, micros));

        assertEquals(0.03, evaluation.budgetWindows(), 1e-9);
        assertEquals(1 - 1 / 0.03, evaluation.budgetRemaining(), 1e-9);
        assertEquals(List.of(1.0, 1.0, 1 - 1 / 0.03, 1 - 1 / 0.03, 1 - 1 / 0.03, 1 - 1 / 0.03), evaluation.burnDown());
        assertEquals("SLO p99<=200ms per 10s window: 5/6 windows met (83.3%, target 99.5%); error budget remaining -3233%",
                evaluation.summary());
    }

    @Test
    void metWhenComplianceReachesTheTarget() {
        SloSpec spec = SloSpec.parse("p99=200ms,target=75%,window=1s");
        SloEvaluation evaluation = SloEvaluation.of(spec, flat(settings(10, 1, 4), 10, 50_000, 50_000, 300_000, 50_000));

        assertEquals(0.75, evaluation.compliance());
        assertTrue(evaluation.met());
        assertEquals(0.0, evaluation.budgetRemaining(), 1e-9);
    }

    @Test
    void aThresholdInTheSameHistogramBucketPasses() {
        SloSpec spec = SloSpec.parse("p99=200ms,target=50%,window=1s");
        SloEvaluation evaluation = SloEvaluation.of(spec, flat(settings(10, 1, 1), 10, 200_000));

        assertTrue(evaluation.windows().get(0).met());
    }

    @Test
    void lastPartialWindowCountsOnlyFromHalfAWindow() {
        long[] fourteen = new long[14];
        Arrays.fill(fourteen, 1_000);
        assertEquals(1, SloEvaluation.of(P99_200MS, flat(settings(10, 1, 14), 10, fourteen)).windows().size());

        long[] fifteen = new long[15];
        Arrays.fill(fifteen, 1_000);
        List<SloWindow> windows = SloEvaluation.of(P99_200MS, flat(settings(10, 1, 15), 10, fifteen)).windows();
        assertEquals(2, windows.size());
        assertEquals(5.0, windows.get(1).lengthSeconds());
    }

    @Test
    void aWindowWithoutRequestsIsMet() {
        RunResult quiet = flat(settings(10, 1, 20), 10, new long[20]);
        List<Interval> empty = new ArrayList<>();
        for (Interval interval : quiet.intervals()) {
            empty.add(new Interval(interval.offsetNanos(), interval.lengthNanos(), new Histogram(2), 0));
        }
        RunResult run = new RunResult(quiet.settings(), quiet.startEpochMillis(), quiet.elapsedNanos(), quiet.sendingNanos(),
                quiet.latency(), quiet.serviceTime(), quiet.successLatency(), empty, quiet.statuses(), quiet.failures(), 0);

        SloEvaluation evaluation = SloEvaluation.of(P99_200MS, run);
        assertEquals(2, evaluation.metWindows());
        assertEquals(0, evaluation.windows().get(0).requests());
        assertTrue(evaluation.met());
    }

    @Test
    void aRunShorterThanHalfAWindowSpendsNothingButMeetsNothing() {
        SloEvaluation evaluation = SloEvaluation.of(P99_200MS, flat(settings(10, 1, 4), 10, 1_000, 1_000, 1_000, 1_000));

        assertTrue(evaluation.windows().isEmpty());
        assertEquals(1.0, evaluation.budgetRemaining());
        assertEquals(0.0, evaluation.compliance());
        assertFalse(evaluation.met());
        assertTrue(evaluation.summary().contains("no window to judge"), evaluation.summary());
    }
}
