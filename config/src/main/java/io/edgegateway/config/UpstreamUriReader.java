package io.edgegateway.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Optional;

/** Reads one of a route's {@code upstreams}, normalized to {@code http://host:port} or {@code https://host:port}. */
final class UpstreamUriReader {

    static final String EXPECTED = "http://host:port or https://host:port URL";
    private static final String EXPECTED_ONE = "an " + EXPECTED + " without path, query or user";
    private static final int HTTP_PORT = 80;
    private static final int HTTPS_PORT = 443;

    private UpstreamUriReader() {
    }

    static Optional<URI> read(ConfigValueReader v) {
        return v.string(EXPECTED_ONE).flatMap(text -> {
            URI uri;
            try {
                uri = new URI(text.strip());
            } catch (URISyntaxException e) {
                v.invalid(EXPECTED_ONE);
                return Optional.empty();
            }
            if (!isBareOrigin(uri)) {
                v.invalid(EXPECTED_ONE);
                return Optional.empty();
            }
            boolean tls = "https".equalsIgnoreCase(uri.getScheme());
            int port = uri.getPort() != -1 ? uri.getPort() : tls ? HTTPS_PORT : HTTP_PORT;
            return Optional.of(URI.create((tls ? "https://" : "http://") + uri.getHost() + ":" + port));
        });
    }

    private static boolean isBareOrigin(URI uri) {
        String path = uri.getRawPath();
        return ("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()))
                && uri.getHost() != null
                && uri.getRawUserInfo() == null
                && uri.getRawQuery() == null
                && uri.getRawFragment() == null
                && (path == null || path.isEmpty() || path.equals("/"))
                && (uri.getPort() == -1 || (uri.getPort() >= 1 && uri.getPort() <= 65535));
    }
}
