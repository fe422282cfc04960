package io.edgegateway.config;

import java.time.Duration;
import java.util.Objects;

/**
 * {@code gateway.limits.min-body-rate}: a request body must bring at least {@code bytes} in every
 * {@code window} of time the gateway spends waiting for it (time it is not reading, because the
 * upstream cannot take more, does not count). The first window is the grace period. Off when
 * {@code bytes} is 0.
 */
public record MinBodyRate(long bytes, Duration window) {

    public static final MinBodyRate OFF = new MinBodyRate(0, Duration.ofSeconds(1));

    public MinBodyRate {
        Objects.requireNonNull(window, "window");
        if (bytes < 0) {
            throw new IllegalArgumentException("bytes: " + bytes + " (expected: >= 0)");
        }
        if (window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("window: " + window + " (expected: > 0)");
        }
    }

    public boolean enabled() {
        return bytes > 0;
    }
}
