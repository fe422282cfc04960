package io.edgegateway.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Connection pooling towards every upstream instance: {@code gateway.upstream}.
 *
 * @param maxConnections open connections per upstream instance
 * @param maxPending requests waiting for a connection per upstream instance
 * @param idleTimeout how long an idle keep-alive connection is kept
 * @param trustFile the certificates that {@code https://} upstreams are verified against; absent,
 *     the JDK's default trust store
 */
public record UpstreamDefaults(int maxConnections, int maxPending, Duration idleTimeout, Optional<Path> trustFile) {

    public UpstreamDefaults {
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        Objects.requireNonNull(trustFile, "trustFile");
    }
}
