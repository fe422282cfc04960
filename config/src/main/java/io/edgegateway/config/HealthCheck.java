package io.edgegateway.config;

import java.time.Duration;
import java.util.Objects;

/**
 * A route's active health check: {@code path} asked of every instance each {@code interval}, each
 * check waiting at most {@code timeout}; an instance is out after {@code unhealthyThreshold} failed
 * checks in a row and back after {@code healthyThreshold} good ones.
 *
 * @param path starts with {@code /}
 * @param timeout <= interval, so that checks of one instance never overlap
 * @param healthyThreshold in 1..100
 * @param unhealthyThreshold in 1..100
 */
public record HealthCheck(String path, Duration interval, Duration timeout, int healthyThreshold, int unhealthyThreshold) {

    public static final String DEFAULT_PATH = "/health";
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(10);
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);
    public static final int DEFAULT_HEALTHY_THRESHOLD = 2;
    public static final int DEFAULT_UNHEALTHY_THRESHOLD = 3;
    public static final int MAX_THRESHOLD = 100;

    public HealthCheck {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(interval, "interval");
        Objects.requireNonNull(timeout, "timeout");
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("path: " + path + " (expected: a path starting with /)");
        }
        if (timeout.isNegative() || timeout.isZero() || timeout.compareTo(interval) > 0) {
            throw new IllegalArgumentException("timeout: " + timeout + " (expected: > 0 and <= interval " + interval + ")");
        }
        if (healthyThreshold < 1 || healthyThreshold > MAX_THRESHOLD) {
            throw new IllegalArgumentException("healthyThreshold: " + healthyThreshold + " (expected: 1.." + MAX_THRESHOLD + ")");
        }
        if (unhealthyThreshold < 1 || unhealthyThreshold > MAX_THRESHOLD) {
            throw new IllegalArgumentException(
                    "unhealthyThreshold: " + unhealthyThreshold + " (expected: 1.." + MAX_THRESHOLD + ")");
        }
    }
}
