package io.edgegateway.config;

import java.time.Duration;
import java.util.Objects;

/**
 * Connection pooling towards every upstream instance: {@code gateway.upstream}.
 *
 * @param maxConnections open connections per upstream instance
 * @param maxPending requests waiting for a connection per upstream instance
 * @param idleTimeout how long an idle keep-alive connection is kept
 */
public record UpstreamDefaults(int maxConnections, int maxPending, Duration idleTimeout) {

    public UpstreamDefaults {
        Objects.requireNonNull(idleTimeout, "idleTimeout");
    }
}
