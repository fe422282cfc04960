package io.edgegateway.loadtest.run;

/**
 * When each request of a run is meant to be sent: request {@code i} (from 0) goes at the moment
 * the rate, integrated from the start, reaches {@code i}. Connection {@code k} of {@code C} sends
 * requests {@code k, k + C, k + 2C, ...}, so the connections together keep the whole rate.
 */
final class Schedule {

    private static final double NANOS_PER_SECOND = 1e9;

    private final double startRate;
    /** Rate change per second. */
    private final double slope;
    private final long durationNanos;

    Schedule(RunSettings settings) {
        double seconds = settings.durationNanos() / NANOS_PER_SECOND;
        this.startRate = settings.rate();
        this.slope = seconds == 0 ? 0 : (settings.rampTo() - settings.rate()) / seconds;
        this.durationNanos = settings.durationNanos();
    }

    /** The intended send time of request {@code index}, in nanoseconds from the start; {@code Long.MAX_VALUE} past the end. */
    long offsetNanos(long index) {
        double seconds;
        if (Math.abs(slope) < 1e-9) {
            seconds = index / startRate;
        } else {
            // index = startRate * t + slope * t^2 / 2, solved for t
            double discriminant = startRate * startRate + 2 * slope * index;
            if (discriminant < 0) {
                return Long.MAX_VALUE;
            }
            seconds = (Math.sqrt(discriminant) - startRate) / slope;
        }
        long nanos = (long) (seconds * NANOS_PER_SECOND);
        return nanos < durationNanos && nanos >= 0 ? nanos : Long.MAX_VALUE;
    }
}
