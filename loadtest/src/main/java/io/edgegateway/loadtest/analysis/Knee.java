package io.edgegateway.loadtest.analysis;

import io.edgegateway.loadtest.run.RunResult;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The last step of a sweep before latency stops being flat: the most load the target takes
 * without queueing.
 *
 * <p>Going through the steps in order, a step <em>breaks</em> when its P99 is more than
 * {@value #P99_GROWTH} times the lowest P99 of the steps before it, or when the server fell
 * behind (achieved rate below 95% of the requested one, see {@link RunResult#serverFellBehind()}).
 * The knee is the step before the first one that breaks. There is none when no step breaks
 * (the sweep never reached it) or when the first one already does (it started past it).
 *
 * @param index the knee's position in the sweep, from 0
 * @param step the knee's run
 * @param reason why the next step counts as past the knee
 */
public record Knee(int index, RunResult step, String reason) {

    /** How much the P99 may grow over the flattest step before the curve counts as bent. */
    public static final double P99_GROWTH = 2.0;

    /** Finds the knee of {@code steps}, given in order of increasing rate or connections. */
    public static Optional<Knee> find(List<RunResult> steps) {
        double lowestP99 = Double.POSITIVE_INFINITY;
        for (int index = 0; index < steps.size(); index++) {
            RunResult step = steps.get(index);
            String reason = breakReason(index, step, lowestP99);
            if (reason != null) {
                return index == 0 ? Optional.empty() : Optional.of(new Knee(index - 1, steps.get(index - 1), reason));
            }
            lowestP99 = Math.min(lowestP99, step.percentileMillis(99));
        }
        return Optional.empty();
    }

    /** One console line, e.g. {@code knee at step 3 (1000 req/s, 16 connections, P99 4.1ms): step 4 P99 ...}. */
    public String summary() {
        return String.format(Locale.ROOT, "knee at step %d (%.0f req/s, %d connections, P99 %.1fms): %s",
                index, step.requestedRate(), step.settings().connections(), step.percentileMillis(99), reason);
    }

    private static String breakReason(int index, RunResult step, double lowestP99) {
        double p99 = step.percentileMillis(99);
        if (p99 > P99_GROWTH * lowestP99) {
            return String.format(Locale.ROOT, "step %d P99 %.1fms is over %.0fx the lowest P99 before it (%.1fms)",
                    index, p99, P99_GROWTH, lowestP99);
        }
        if (step.serverFellBehind()) {
            return String.format(Locale.ROOT, "step %d achieved %.0f req/s, below 95%% of the requested %.0f req/s",
                    index, step.achievedRate(), step.requestedRate());
        }
        return null;
    }
}
