package io.edgegateway.config;

import java.time.Duration;
import java.util.Objects;

/** Bounds on what a client may send: {@code gateway.limits}. */
public record Limits(int maxHeaderBytes, long maxBodyBytes, Duration idleTimeout) {

    public Limits {
        Objects.requireNonNull(idleTimeout, "idleTimeout");
    }
}
