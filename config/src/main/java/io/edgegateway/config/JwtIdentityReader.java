package io.edgegateway.config;

import com.typesafe.config.ConfigValueType;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Reads a {@code type = jwt} identity source: where the token is, its keys (static, or a JWKS
 * fetched over https) and the claims it must carry.
 */
final class JwtIdentityReader {

    private static final Set<String> KEYS = Set.of("type", "header", "claim", "hs256-secret", "rs256-public-key",
            "jwks-url", "jwks-trust-file", "jwks-refresh", "jwks-min-refresh", "jwks-timeout", "issuer", "audience", "clock-skew");
    private static final String URL = "an https:// URL such as \"https://idp.example.com/.well-known/jwks.json\", without user or fragment";
    private static final String AUDIENCE = "a non-empty string or list of strings";
    private static final Duration MIN_REFRESH = Duration.ofSeconds(1);
    private static final Duration MAX_TIMEOUT = Duration.ofMinutes(1);

    private JwtIdentityReader() {
    }

    /** @param headerName reads the {@code header} key as the identity section reads every header name */
    static Optional<IdentitySource> read(ConfigReader s, Function<ConfigValueReader, Optional<String>> headerName) {
        s.rejectUnknownKeys(KEYS);
        Optional<String> header = s.value("header").flatMap(headerName);
        Optional<String> claim = s.nonEmptyString("claim", "a claim name such as sub");
        Optional<String> secret = s.nonEmptyString("hs256-secret", "a non-empty secret");
        Optional<String> publicKey = s.value("rs256-public-key").flatMap(RsaPublicKeyReader::read);
        Optional<JwksConfig> jwks = jwks(s);
        if (publicKey.isPresent() && jwks.isPresent()) {
            s.value("rs256-public-key").orElseThrow().problem(
                    "set together with jwks-url (expected: one of them; with jwks-url, RS256 keys come from the JWKS)");
        }
        Optional<String> issuer = s.nonEmptyString("issuer", "the issuer's iss, a non-empty string");
        Optional<List<String>> audiences = s.value("audience").flatMap(JwtIdentityReader::audiences);
        Optional<Duration> skew = s.duration("clock-skew", Duration.ZERO);
        return s.build(() -> new JwtIdentity(header.orElse(JwtIdentity.DEFAULT_HEADER), claim.orElse(JwtIdentity.DEFAULT_CLAIM),
                secret, publicKey, jwks, issuer, audiences.orElse(List.of()), skew.orElse(JwtIdentity.DEFAULT_CLOCK_SKEW)));
    }

    /**
     * The JWKS settings when {@code jwks-url} is set. The other jwks keys are checked either way but
     * mean nothing without it, so {@code jwks-url = ${?JWKS_URL}} left unset simply turns JWKS off.
     */
    private static Optional<JwksConfig> jwks(ConfigReader s) {
        Optional<URI> url = s.value("jwks-url").flatMap(JwtIdentityReader::httpsUrl);
        Optional<Optional<Path>> trustFile = s.has("jwks-trust-file")
                ? s.value("jwks-trust-file").flatMap(PemFileReader::certificates).map(Optional::of)
                : Optional.of(Optional.empty());
        Optional<Duration> refresh = s.duration("jwks-refresh", MIN_REFRESH);
        Optional<Duration> minRefresh = s.duration("jwks-min-refresh", MIN_REFRESH);
        Optional<Duration> timeout = s.value("jwks-timeout").flatMap(v -> v.duration(Duration.ofMillis(1))
                .filter(d -> v.check(d.compareTo(MAX_TIMEOUT) <= 0, "a duration > 0 and <= 60s")));
        Duration effectiveRefresh = refresh.orElse(JwksConfig.DEFAULT_REFRESH);
        // Left unset, min-refresh follows a short refresh down; set above it, it is a mistake.
        Duration effectiveMin = minRefresh.orElse(min(JwksConfig.DEFAULT_MIN_REFRESH, effectiveRefresh));
        if (minRefresh.isPresent() && minRefresh.get().compareTo(effectiveRefresh) > 0) {
            s.value("jwks-min-refresh").orElseThrow().invalid("a duration <= jwks-refresh, " + ConfigValueReader.format(effectiveRefresh));
            return Optional.empty();
        }
        if (url.isEmpty() || trustFile.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new JwksConfig(url.get(), trustFile.get(), effectiveRefresh, effectiveMin,
                timeout.orElse(JwksConfig.DEFAULT_TIMEOUT)));
    }

    private static Optional<URI> httpsUrl(ConfigValueReader v) {
        return v.nonEmptyString(URL).flatMap(text -> {
            try {
                return Optional.of(new URI(text.strip()));
            } catch (URISyntaxException e) {
                v.invalid(URL);
                return Optional.empty();
            }
        }).filter(uri -> v.check("https".equalsIgnoreCase(uri.getScheme()) && uri.getHost() != null
                && uri.getRawUserInfo() == null && uri.getRawFragment() == null
                && (uri.getPort() == -1 || uri.getPort() >= 1 && uri.getPort() <= 65535), URL));
    }

    private static Optional<List<String>> audiences(ConfigValueReader v) {
        if (v.value().valueType() == ConfigValueType.LIST) {
            return v.nonEmptyListOf(AUDIENCE, element -> element.nonEmptyString("a non-empty audience"));
        }
        return v.nonEmptyString(AUDIENCE).map(List::of);
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
