package io.edgegateway.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Where a jwt source fetches its verification keys: a JWKS document (RFC 7517) served over https,
 * fetched at start-up, every {@code refresh}, and again when a token names a key the set lacks,
 * but never more often than once per {@code minRefresh} for that reason.
 *
 * @param trustFile the certificates the JWKS server is verified against; absent, the JDK's default trust store
 * @param timeout bounds each fetch, connect to last byte, and how long start-up (/ready) and a
 *     reload wait for the first one
 */
public record JwksConfig(URI url, Optional<Path> trustFile, Duration refresh, Duration minRefresh, Duration timeout) {

    public static final Duration DEFAULT_REFRESH = Duration.ofMinutes(5);
    public static final Duration DEFAULT_MIN_REFRESH = Duration.ofSeconds(30);
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

    public JwksConfig {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(trustFile, "trustFile");
        Objects.requireNonNull(refresh, "refresh");
        Objects.requireNonNull(minRefresh, "minRefresh");
        Objects.requireNonNull(timeout, "timeout");
        if (!"https".equalsIgnoreCase(url.getScheme()) || url.getHost() == null) {
            throw new IllegalArgumentException("url: " + url + " (expected: an https:// URL)");
        }
        if (refresh.isNegative() || refresh.isZero() || minRefresh.isNegative() || minRefresh.isZero()
                || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("refresh, minRefresh, timeout: " + refresh + ", " + minRefresh + ", " + timeout
                    + " (expected: > 0)");
        }
    }

    /** With the defaults of reference.conf. */
    public static JwksConfig of(URI url) {
        return new JwksConfig(url, Optional.empty(), DEFAULT_REFRESH, DEFAULT_MIN_REFRESH, DEFAULT_TIMEOUT);
    }
}
