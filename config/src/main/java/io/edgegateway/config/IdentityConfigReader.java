package io.edgegateway.config;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Reads {@code gateway.identity}: the ordered list of identity sources, and how long an identity may be. */
final class IdentityConfigReader {

    private static final String TYPES = "one of header, jwt, client-ip";
    private static final String TOKEN = "a header name";
    private static final String UNDERSCORE = "a header name without _, since limits.headers-with-underscores"
            + " removes or refuses such headers before identity is read; rename it or set that to allow";

    private IdentityConfigReader() {
    }

    /**
     * The sources; with {@code underscoresReachIdentity} false, a header name with {@code _} is an
     * error, since the gateway removes (or refuses) such headers before identity is read.
     */
    static Optional<IdentityConfig> read(ConfigReader r, boolean underscoresReachIdentity) {
        r.rejectUnknownKeys(Set.of("sources", "max-length"));
        String expected = "a non-empty list of identity sources";
        r.require("sources", expected);
        r.require("max-length", ConfigValueReader.SIZE);
        Optional<List<IdentitySource>> sources = r.value("sources")
                .flatMap(v -> v.nonEmptyListOf(expected, element -> element.object().flatMap(s -> source(s, underscoresReachIdentity))));
        Optional<Long> maxLength = r.bytes("max-length", 1, Integer.MAX_VALUE);
        return r.build(() -> new IdentityConfig(sources.orElseThrow(), maxLength.orElseThrow().intValue()));
    }

    private static Optional<IdentitySource> source(ConfigReader s, boolean underscoresReachIdentity) {
        s.require("type", TYPES);
        Optional<ConfigValueReader> type = s.value("type");
        if (type.isEmpty()) {
            return Optional.empty();
        }
        if (type.get().isString("header")) {
            return header(s, underscoresReachIdentity);
        }
        if (type.get().isString("jwt")) {
            return JwtIdentityReader.read(s, v -> headerName(v, underscoresReachIdentity));
        }
        if (type.get().isString("client-ip")) {
            return clientIp(s);
        }
        type.get().invalid(TYPES);
        return Optional.empty();
    }

    private static Optional<IdentitySource> header(ConfigReader s, boolean underscoresReachIdentity) {
        s.rejectUnknownKeys(Set.of("type", "name"));
        s.require("name", TOKEN);
        Optional<String> name = s.value("name").flatMap(v -> headerName(v, underscoresReachIdentity));
        return s.build(() -> new HeaderIdentity(name.orElseThrow()));
    }

    private static Optional<String> headerName(ConfigValueReader v, boolean underscoresReachIdentity) {
        return v.string(TOKEN)
                .filter(name -> v.check(HttpToken.isValid(name), TOKEN))
                .filter(name -> v.check(underscoresReachIdentity || name.indexOf('_') < 0, UNDERSCORE));
    }

    private static Optional<IdentitySource> clientIp(ConfigReader s) {
        s.rejectUnknownKeys(Set.of("type", "trusted-proxies"));
        String expected = "a CIDR such as 10.0.0.0/8 or fd00::/8";
        Optional<List<String>> proxies = s.value("trusted-proxies").flatMap(v -> v.listOf(
                "a list of CIDRs",
                element -> element.string(expected).filter(cidr -> element.check(CidrSyntax.isValid(cidr), expected))));
        return s.build(() -> new ClientIpIdentity(proxies.orElse(List.of())));
    }
}
