package io.edgegateway.loadtest.analysis;

/**
 * One window of an {@link SloEvaluation}.
 *
 * @param offsetSeconds where the window starts, from the run's start
 * @param lengthSeconds how much of the run it covers (less than the window only for the last one)
 * @param requests requests whose intended send time fell in it
 * @param latencyMillis the latency at the objective's percentile, 0 when it holds no request
 * @param met whether that latency is within the threshold
 */
public record SloWindow(long offsetSeconds, double lengthSeconds, long requests, double latencyMillis, boolean met) {
}
