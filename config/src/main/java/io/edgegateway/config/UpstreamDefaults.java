package io.edgegateway.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Connections towards every upstream instance, and how instances are found and judged: {@code gateway.upstream}.
 *
 * @param maxConnections open connections per upstream instance
 * @param maxPending requests waiting for a connection per upstream instance
 * @param idleTimeout how long an idle keep-alive connection is kept
 * @param trustFile the certificates that {@code https://} upstreams are verified against; absent,
 *     the JDK's default trust store
 * @param outlierDetection the routes' passive outlier detection, unless a route says otherwise; empty: off
 * @param dnsRefresh how often upstream host names are resolved again (every address is an instance), > 0
 * @param slowStart how long an instance back in rotation (or new to a running route) takes to reach
 *     its full share of requests, unless a route says otherwise; zero: at once
 */
public record UpstreamDefaults(
        int maxConnections,
        int maxPending,
        Duration idleTimeout,
        Optional<Path> trustFile,
        Optional<OutlierDetection> outlierDetection,
        Duration dnsRefresh,
        Duration slowStart) {

    public UpstreamDefaults {
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        Objects.requireNonNull(trustFile, "trustFile");
        Objects.requireNonNull(outlierDetection, "outlierDetection");
        Objects.requireNonNull(dnsRefresh, "dnsRefresh");
        if (dnsRefresh.isNegative() || dnsRefresh.isZero()) {
            throw new IllegalArgumentException("dnsRefresh: " + dnsRefresh + " (expected: > 0)");
        }
        if (slowStart.isNegative()) {
            throw new IllegalArgumentException("slowStart: " + slowStart + " (expected: >= 0)");
        }
    }
}
