package io.edgegateway.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Optional;

/** Reads one of a route's {@code upstreams}, normalized to {@code http://host:port}. */
final class UpstreamUriReader {

    static final String EXPECTED = "http://host:port URL";
    private static final String EXPECTED_ONE = "an " + EXPECTED + " without path, query or user";
    private static final int DEFAULT_PORT = 80;

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
            if ("https".equalsIgnoreCase(uri.getScheme())) {
                v.invalid("an http:// URL; https upstreams are not supported yet");
                return Optional.empty();
            }
            if (!isPlainHttp(uri)) {
                v.invalid(EXPECTED_ONE);
                return Optional.empty();
            }
            int port = uri.getPort() == -1 ? DEFAULT_PORT : uri.getPort();
            return Optional.of(URI.create("http://" + uri.getHost() + ":" + port));
        });
    }

    private static boolean isPlainHttp(URI uri) {
        String path = uri.getRawPath();
        return "http".equalsIgnoreCase(uri.getScheme())
                && uri.getHost() != null
                && uri.getRawUserInfo() == null
                && uri.getRawQuery() == null
                && uri.getRawFragment() == null
                && (path == null || path.isEmpty() || path.equals("/"))
                && (uri.getPort() == -1 || (uri.getPort() >= 1 && uri.getPort() <= 65535));
    }
}
