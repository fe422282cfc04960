package io.edgegateway.config;

import java.time.Duration;
import java.util.Objects;

/**
 * Shed requests while the P99 latency over the last {@code window} is above {@code p99Above},
 * once at least {@code minSamples} requests were seen in it.
 */
public record LoadSheddingConfig(Duration p99Above, Duration window, long minSamples) {

    public static final Duration DEFAULT_WINDOW = Duration.ofSeconds(10);
    public static final long DEFAULT_MIN_SAMPLES = 100;

    public LoadSheddingConfig {
        Objects.requireNonNull(p99Above, "p99Above");
        Objects.requireNonNull(window, "window");
    }
}
