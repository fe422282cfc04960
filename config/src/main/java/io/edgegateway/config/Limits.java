package io.edgegateway.config;

import java.time.Duration;
import java.util.Objects;

/** Bounds on what a client may send: {@code gateway.limits}. */
public record Limits(int maxHeaderBytes, long maxBodyBytes, Duration idleTimeout, UnderscoreHeaders headersWithUnderscores) {

    public Limits {
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        Objects.requireNonNull(headersWithUnderscores, "headersWithUnderscores");
    }

    /** With the default for headers whose names contain {@code _}: dropped. */
    public Limits(int maxHeaderBytes, long maxBodyBytes, Duration idleTimeout) {
        this(maxHeaderBytes, maxBodyBytes, idleTimeout, UnderscoreHeaders.DROP);
    }
}
