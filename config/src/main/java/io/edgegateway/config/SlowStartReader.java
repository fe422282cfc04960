package io.edgegateway.config;

import java.time.Duration;
import java.util.Optional;

/** Reads {@code slow-start}, in {@code gateway.upstream} and per route: a duration, with {@code 0s} or {@code off} for none. */
final class SlowStartReader {

    static final String EXPECTED = "off or a duration >= 0";

    private SlowStartReader() {
    }

    static Optional<Duration> read(ConfigValueReader value) {
        if (value.isString("off")) {
            return Optional.of(Duration.ZERO);
        }
        return value.duration(Duration.ZERO, EXPECTED);
    }
}
