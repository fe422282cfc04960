package io.edgegateway.config;

import java.time.Duration;
import java.util.Objects;

/**
 * Shed requests while the P99 latency over the last {@code window} is above {@code p99Above},
 * once at least {@code minSamples} requests were seen in it.
 *
 * @param priorityHeader whose {@code X-Priority} is believed
 * @param priorities identities whose requests are high or low priority
 */
public record LoadSheddingConfig(Duration p99Above, Duration window, long minSamples, PriorityHeader priorityHeader,
        ShedPriorities priorities) {

    public static final Duration DEFAULT_WINDOW = Duration.ofSeconds(10);
    public static final long DEFAULT_MIN_SAMPLES = 100;

    public LoadSheddingConfig {
        Objects.requireNonNull(p99Above, "p99Above");
        Objects.requireNonNull(window, "window");
        Objects.requireNonNull(priorityHeader, "priorityHeader");
        Objects.requireNonNull(priorities, "priorities");
    }

    /** With the header believed from trusted proxies only, and no identity priorities. */
    public LoadSheddingConfig(Duration p99Above, Duration window, long minSamples) {
        this(p99Above, window, minSamples, PriorityHeader.TRUSTED, ShedPriorities.NONE);
    }

    /** Whether {@code other} steers the controller the same way (the same threshold, window and samples). */
    public boolean sameController(LoadSheddingConfig other) {
        return p99Above.equals(other.p99Above) && window.equals(other.window) && minSamples == other.minSamples;
    }
}
