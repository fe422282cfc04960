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
 * @param h2MaxConcurrentStreams streams open at once on one HTTP/2 connection to an {@code h2c://} or
 *     {@code h2://} instance (fewer when the instance's SETTINGS say so); a full connection makes another
 */
public record UpstreamDefaults(
        int maxConnections,
        int maxPending,
        Duration idleTimeout,
        Optional<Path> trustFile,
        Optional<OutlierDetection> outlierDetection,
        Duration dnsRefresh,
        Duration slowStart,
        int h2MaxConcurrentStreams) {

    /** The default bound on streams per HTTP/2 upstream connection. */
    public static final int DEFAULT_H2_MAX_CONCURRENT_STREAMS = 100;

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
        if (h2MaxConcurrentStreams < 1) {
            throw new IllegalArgumentException("h2MaxConcurrentStreams: " + h2MaxConcurrentStreams + " (expected: > 0)");
        }
    }

    /** With the default bound on streams per HTTP/2 connection. */
    public UpstreamDefaults(int maxConnections, int maxPending, Duration idleTimeout, Optional<Path> trustFile,
            Optional<OutlierDetection> outlierDetection, Duration dnsRefresh, Duration slowStart) {
        this(maxConnections, maxPending, idleTimeout, trustFile, outlierDetection, dnsRefresh, slowStart,
                DEFAULT_H2_MAX_CONCURRENT_STREAMS);
    }
}
