package io.edgegateway.config;

import java.time.Duration;
import java.util.Objects;

/** At most {@code requests} per identity in any {@code window}; the window is a whole number of seconds. */
public record Quota(long requests, Duration window) {

    public Quota {
        Objects.requireNonNull(window, "window");
        if (requests <= 0) {
            throw new IllegalArgumentException("requests: " + requests + " (expected: > 0)");
        }
        if (window.toSeconds() < 1 || window.toNanosPart() != 0) {
            throw new IllegalArgumentException("window: " + window + " (expected: a whole number of seconds >= 1s)");
        }
    }
}
