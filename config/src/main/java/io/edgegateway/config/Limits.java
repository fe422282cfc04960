package io.edgegateway.config;

import java.time.Duration;
import java.util.Objects;

/**
 * Bounds on what a client may send: {@code gateway.limits}.
 *
 * @param headerTimeout how long an HTTP/1.1 request head may take to arrive, from its first byte
 * @param minBodyRate the slowest a request body may arrive
 * @param bufferBodyBelow request bodies of at most this many bytes are read whole before an upstream
 *     connection is taken; 0 streams every body
 * @param headersWithUnderscores what happens to request headers whose names contain {@code _}
 * @param maxEventLoopLag how far behind its schedule an event loop may fall before new requests on
 *     it are refused (503 {@code overloaded}, before routing); zero never refuses
 * @param maxConnections client connections open at once; one more is closed as it is accepted
 * @param maxConnectionsPerClient client connections open at once from one address; 0 is no bound
 */
public record Limits(int maxHeaderBytes, long maxBodyBytes, Duration idleTimeout, Duration headerTimeout,
        MinBodyRate minBodyRate, long bufferBodyBelow, UnderscoreHeaders headersWithUnderscores,
        Duration maxEventLoopLag, int maxConnections, int maxConnectionsPerClient) {

    public static final Duration DEFAULT_MAX_EVENT_LOOP_LAG = Duration.ofMillis(100);
    public static final int DEFAULT_MAX_CONNECTIONS = 100_000;

    public Limits {
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        Objects.requireNonNull(headerTimeout, "headerTimeout");
        Objects.requireNonNull(minBodyRate, "minBodyRate");
        Objects.requireNonNull(headersWithUnderscores, "headersWithUnderscores");
        Objects.requireNonNull(maxEventLoopLag, "maxEventLoopLag");
        if (bufferBodyBelow < 0) {
            throw new IllegalArgumentException("bufferBodyBelow: " + bufferBodyBelow + " (expected: >= 0)");
        }
        if (maxConnections < 1) {
            throw new IllegalArgumentException("maxConnections: " + maxConnections + " (expected: >= 1)");
        }
        if (maxConnectionsPerClient < 0) {
            throw new IllegalArgumentException("maxConnectionsPerClient: " + maxConnectionsPerClient + " (expected: >= 0)");
        }
    }

    /** With the defaults for the rest: headers whose names contain {@code _} dropped, the connection bounds. */
    public Limits(int maxHeaderBytes, long maxBodyBytes, Duration idleTimeout, Duration headerTimeout,
            MinBodyRate minBodyRate, long bufferBodyBelow) {
        this(maxHeaderBytes, maxBodyBytes, idleTimeout, headerTimeout, minBodyRate, bufferBodyBelow,
                UnderscoreHeaders.DROP, DEFAULT_MAX_EVENT_LOOP_LAG, DEFAULT_MAX_CONNECTIONS, 0);
    }
}
