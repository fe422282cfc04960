package io.edgegateway.config;

import java.util.Objects;
import java.util.Optional;

/**
 * {@code gateway.listen}: where clients connect, and how.
 *
 * @param tls present when the listener speaks TLS only
 * @param http2 HTTP/2: negotiated by ALPN over TLS, by prior knowledge (h2c) in clear text
 */
public record ListenConfig(String host, int port, Optional<TlsConfig> tls, Http2Config http2) {

    public ListenConfig {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(tls, "tls");
        Objects.requireNonNull(http2, "http2");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port: " + port + " (expected: 0..65535)");
        }
    }

    /** A clear-text listener with HTTP/2 on its defaults. */
    public static ListenConfig plain(String host, int port) {
        return new ListenConfig(host, port, Optional.empty(), Http2Config.DEFAULT);
    }
}
