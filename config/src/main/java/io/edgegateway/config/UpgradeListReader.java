package io.edgegateway.config;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Reads a route's {@code upgrades}: the protocols ({@code Upgrade} tokens, RFC 9110 §7.8) it tunnels. */
final class UpgradeListReader {

    static final String EXPECTED = "a list of Upgrade protocols such as [\"websocket\"], each a token or token/version";

    private UpgradeListReader() {
    }

    /** Lower-cased, as they are compared case-insensitively. */
    static Optional<List<String>> read(ConfigValueReader value) {
        return value.listOf(EXPECTED, UpgradeListReader::protocol);
    }

    private static Optional<String> protocol(ConfigValueReader v) {
        return v.string(EXPECTED)
                .filter(p -> v.check(isProtocol(p), "an Upgrade protocol such as websocket, a token or token/version"))
                .map(p -> p.toLowerCase(Locale.ROOT));
    }

    private static boolean isProtocol(String protocol) {
        int slash = protocol.indexOf('/');
        if (slash < 0) {
            return HttpToken.isValid(protocol);
        }
        return HttpToken.isValid(protocol.substring(0, slash)) && HttpToken.isValid(protocol.substring(slash + 1));
    }
}
