package io.edgegateway.server.tracing;

/**
 * Decides whether a new trace is recorded from its trace id alone, so every gateway (and every
 * OpenTelemetry SDK with the same ratio) decides the same for the same trace: the trace id's last 8
 * bytes, taken as a non-negative number, fall below {@code ratio} of the range.
 */
final class TraceIdRatioSampler {

    private final long bound;
    private final boolean always;

    TraceIdRatioSampler(double ratio) {
        if (!(ratio >= 0 && ratio <= 1)) {
            throw new IllegalArgumentException("ratio: " + ratio + " (expected: 0..1)");
        }
        this.always = ratio >= 1;
        this.bound = (long) (ratio * Long.MAX_VALUE);
    }

    boolean sampled(long traceIdLow) {
        // Long.MIN_VALUE has no positive counterpart: it counts as 0, as OpenTelemetry's Math.abs leaves it.
        long random = traceIdLow == Long.MIN_VALUE ? 0 : Math.abs(traceIdLow);
        return always || random < bound;
    }
}
