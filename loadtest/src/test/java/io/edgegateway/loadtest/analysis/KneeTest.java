package io.edgegateway.loadtest.analysis;

import static io.edgegateway.loadtest.analysis.SyntheticRuns.flat;
import static io.edgegateway.loadtest.analysis.SyntheticRuns.settings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgegateway.loadtest.run.RunResult;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class KneeTest {

    private static RunResult step(double rate, int achieved, long p99Micros) {
        return flat(settings(rate, 8, 3), achieved, p99Micros, p99Micros, p99Micros);
    }

    @Test
    void kneeIsTheStepBeforeTheP99MoreThanDoubles() {
        List<RunResult> steps = List.of(step(100, 100, 5_000), step(200, 200, 4_000), step(400, 400, 7_900),
                step(800, 800, 8_200), step(1600, 1600, 60_000));

        Knee knee = Knee.find(steps).orElseThrow();
        assertEquals(2, knee.index());
        assertEquals(400, knee.step().settings().rate());
        assertTrue(knee.reason().contains("step 3 P99 8.2ms is over 2x the lowest P99 before it (4.0ms)"), knee.reason());
        assertTrue(knee.summary().startsWith("knee at step 2 (400 req/s, 8 connections, P99 7.9ms): step 3"), knee.summary());
    }

    @Test
    void kneeIsTheStepBeforeTheServerFallsBehind() {
        List<RunResult> steps = List.of(step(100, 100, 5_000), step(200, 200, 5_000), step(400, 300, 6_000));

        Knee knee = Knee.find(steps).orElseThrow();
        assertEquals(1, knee.index());
        assertTrue(knee.reason().contains("step 2 achieved 300 req/s, below 95% of the requested 400 req/s"), knee.reason());
    }

    @Test
    void noKneeWhenLatencyStaysFlatOrIsBentFromTheStart() {
        assertEquals(Optional.empty(), Knee.find(List.of(step(100, 100, 5_000), step(200, 200, 9_000))));
        assertEquals(Optional.empty(), Knee.find(List.of(step(100, 50, 5_000), step(200, 60, 90_000))));
        assertEquals(Optional.empty(), Knee.find(List.of()));
    }
}
