package io.edgegateway.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@code gateway.paths}, the normal form a {@code path-prefix} must have, a route's {@code upgrades}. */
class PathsConfigTest {

    @Test
    void everyPolicyCanBeChosen() throws Exception {
        GatewayConfig config = ConfigLoader.parse("""
                gateway.paths { escaped-slash = decode, backslash = keep, path-parameters = strip,
                                merge-slashes = false, case-sensitive = true }
                """, "t.conf");
        assertEquals(new PathsConfig(SeparatorPolicy.DECODE, SeparatorPolicy.KEEP, PathParameterPolicy.STRIP, false, true),
                config.paths());
    }

    @Test
    void badPoliciesAreNamed() {
        assertProblems("gateway.paths { escaped-slash = allow, path-parameters = decode, merge-slash = true }",
                "t.conf:1: gateway.paths.escaped-slash: \"allow\" (expected: one of reject, keep, decode)",
                "t.conf:1: gateway.paths.merge-slash: unknown key (did you mean `merge-slashes`?)",
                "t.conf:1: gateway.paths.path-parameters: \"decode\" (expected: one of reject, keep, strip)");
    }

    @Test
    void aPathPrefixMustBeInNormalForm() {
        assertProblems("""
                gateway.routes = [
                  { id = a, match.path-prefix = "/a/../b", upstreams = ["http://h:1"] }
                  { id = b, match.path-prefix = "/%7euser", upstreams = ["http://h:1"] }
                  { id = c, match.path-prefix = "/a%2fb", upstreams = ["http://h:1"] }
                  { id = d, match.path-prefix = "/caf\u00e9", upstreams = ["http://h:1"] }
                  { id = e, match.path-prefix = "/a;b", upstreams = ["http://h:1"] }
                  { id = f, match.path-prefix = "//a", upstreams = ["http://h:1"] }
                  { id = g, match.path-prefix = "/v1.", upstreams = ["http://h:1"] }
                  { id = h, match.path-prefix = "/a%c3%a9", upstreams = ["http://h:1"] }
                  { id = i, match.path-prefix = "a", upstreams = ["http://h:1"] }
                ]
                """,
                "t.conf:2: gateway.routes[0].match.path-prefix: \"/a/../b\" (expected: a path without . or .. segments)",
                "t.conf:3: gateway.routes[1].match.path-prefix: \"/%7euser\" (expected: unreserved characters unescaped,"
                        + " as requests are matched: ~ rather than %7e)",
                "t.conf:4: gateway.routes[2].match.path-prefix: \"/a%2fb\" (expected: a path without %2F or %5C"
                        + " (requests with them are refused or normalised before matching))",
                "t.conf:5: gateway.routes[3].match.path-prefix: \"/caf\u00e9\" (expected: non-ASCII characters"
                        + " percent-encoded as UTF-8, as requests are matched: /caf%C3%A9)",
                "t.conf:6: gateway.routes[4].match.path-prefix: \"/a;b\" (expected: a path without \\ or ;"
                        + " (requests with them are refused or normalised before matching))",
                "t.conf:7: gateway.routes[5].match.path-prefix: \"//a\" (expected: a path without empty segments (//))",
                "t.conf:8: gateway.routes[6].match.path-prefix: \"/v1.\" (expected: segments that do not end with a dot"
                        + " (a request's segment matches with or without trailing dots))",
                "t.conf:9: gateway.routes[7].match.path-prefix: \"/a%c3%a9\" (expected: escapes in upper case,"
                        + " as requests are matched: %C3)",
                "t.conf:10: gateway.routes[8].match.path-prefix: \"a\" (expected: a path starting with /, without spaces, ? or #)");
    }

    @Test
    void aNormalPathPrefixIsAccepted() throws Exception {
        GatewayConfig config = ConfigLoader.parse("""
                gateway.routes = [ { id = a, match.path-prefix = "/caf%C3%A9/.well-known/~x/", upstreams = ["http://h:1"] } ]
                """, "t.conf");
        assertEquals("/caf%C3%A9/.well-known/~x/", config.routes().get(0).match().pathPrefix());
    }

    @Test
    void aHostIsStoredWithoutItsTrailingDot() throws Exception {
        GatewayConfig config = ConfigLoader.parse("""
                gateway.routes = [ { id = a, match { path-prefix = "/", host = "API.example.com." }, upstreams = ["http://h:1"] } ]
                """, "t.conf");
        assertEquals(Optional.of("api.example.com"), config.routes().get(0).match().host());
        assertProblems("gateway.routes = [ { id = a, match { path-prefix = \"/\", host = \"..\" }, upstreams = [\"http://h:1\"] } ]",
                "t.conf:1: gateway.routes[0].match.host: \"..\" (expected: a host name such as api.example.com)");
    }

    @Test
    void upgradesComeFromRouteDefaultsOrTheRoute() throws Exception {
        GatewayConfig config = ConfigLoader.parse("""
                gateway.route-defaults.upgrades = [WebSocket, "foo/2"]
                gateway.routes = [
                  { id = a, match.path-prefix = "/a", upstreams = ["http://h:1"] }
                  { id = b, match.path-prefix = "/b", upstreams = ["http://h:1"], upgrades = [] }
                ]
                """, "t.conf");
        assertEquals(List.of("websocket", "foo/2"), config.routes().get(0).upgrades());
        assertEquals(List.of(), config.routes().get(1).upgrades());
        assertProblems("gateway.routes = [ { id = a, match.path-prefix = \"/a\", upstreams = [\"http://h:1\"], "
                        + "upgrades = [\"web socket\"] } ]",
                "t.conf:1: gateway.routes[0].upgrades[0]: \"web socket\" (expected: an Upgrade protocol such as websocket,"
                        + " a token or token/version)");
    }

    private static void assertProblems(String hocon, String... expected) {
        InvalidConfigException e = assertThrows(InvalidConfigException.class, () -> ConfigLoader.parse(hocon, "t.conf"));
        assertEquals(List.of(expected), e.problems().stream().map(ConfigProblem::toString).toList());
    }
}
