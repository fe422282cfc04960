package io.edgegateway.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Reads one of a route's {@code upstreams}, normalized to {@code scheme://host:port}: {@code http} and
 * {@code https} speak HTTP/1.1, {@code h2c} HTTP/2 in clear text by prior knowledge, {@code h2} HTTP/2
 * over TLS (ALPN {@code h2}).
 */
final class UpstreamUriReader {

    static final String EXPECTED = "http://, https://, h2c:// or h2://host:port URL";
    private static final String EXPECTED_ONE = "an " + EXPECTED + " without path, query or user";
    private static final Set<String> SCHEMES = Set.of("http", "https", "h2c", "h2");
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
            String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
            boolean tls = scheme.equals("https") || scheme.equals("h2");
            int port = uri.getPort() != -1 ? uri.getPort() : tls ? HTTPS_PORT : HTTP_PORT;
            return Optional.of(URI.create(scheme + "://" + uri.getHost() + ":" + port));
        });
    }

    private static boolean isBareOrigin(URI uri) {
        String path = uri.getRawPath();
        return uri.getScheme() != null && SCHEMES.contains(uri.getScheme().toLowerCase(Locale.ROOT))
                && uri.getHost() != null
                && uri.getRawUserInfo() == null
                && uri.getRawQuery() == null
                && uri.getRawFragment() == null
                && (path == null || path.isEmpty() || path.equals("/"))
                && (uri.getPort() == -1 || (uri.getPort() >= 1 && uri.getPort() <= 65535));
    }
}
