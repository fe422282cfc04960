package io.edgegateway.config;

import java.time.Duration;
import java.util.Objects;

/** A route's upstream timeouts: establishing a connection, and the whole response (after which: 504). */
public record Timeouts(Duration connect, Duration response) {

    public Timeouts {
        Objects.requireNonNull(connect, "connect");
        Objects.requireNonNull(response, "response");
    }
}
