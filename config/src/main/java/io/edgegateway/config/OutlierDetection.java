package io.edgegateway.config;

import java.time.Duration;
import java.util.Objects;

/**
 * Passive outlier detection: an instance whose calls fail (connect failure, reset, timeout, 5xx)
 * {@code consecutiveFailures} times in a row is ejected for {@code baseEjection} times the number of
 * times it was ejected, never more than {@code maxEjectionPercent} of a route's instances at once.
 *
 * @param consecutiveFailures failures in a row that eject an instance, >= 1
 * @param baseEjection the first ejection's length, > 0
 * @param maxEjectionPercent the most of a route's instances ejected at once, in 1..100
 */
public record OutlierDetection(int consecutiveFailures, Duration baseEjection, int maxEjectionPercent) {

    /** What a route's {@code outlier-detection} takes for keys it leaves out when the global one is off. */
    public static final OutlierDetection DEFAULT = new OutlierDetection(5, Duration.ofSeconds(10), 50);

    public OutlierDetection {
        Objects.requireNonNull(baseEjection, "baseEjection");
        if (consecutiveFailures < 1) {
            throw new IllegalArgumentException("consecutiveFailures: " + consecutiveFailures + " (expected: > 0)");
        }
        if (baseEjection.isNegative() || baseEjection.isZero()) {
            throw new IllegalArgumentException("baseEjection: " + baseEjection + " (expected: > 0)");
        }
        if (maxEjectionPercent < 1 || maxEjectionPercent > 100) {
            throw new IllegalArgumentException("maxEjectionPercent: " + maxEjectionPercent + " (expected: 1..100)");
        }
    }
}
