package io.edgegateway.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.edgegateway.testkit.TestCertificate;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A jwt source's jwks-url and its settings, and the iss, aud and clock-skew checks of any jwt source. */
class JwksConfigTest {

    private static final URI URL = URI.create("https://idp.example.com/.well-known/jwks.json");

    @TempDir
    Path dir;

    private static JwtIdentity jwt(String source) throws Exception {
        return (JwtIdentity) ConfigLoader.parse("gateway.identity.sources = [ " + source + " ]", "t.conf")
                .identity().sources().get(0);
    }

    @Test
    void aJwksUrlAloneTakesTheDefaults() throws Exception {
        JwtIdentity jwt = jwt("{ type = jwt, jwks-url = \"" + URL + "\" }");

        assertEquals(Optional.of(JwksConfig.of(URL)), jwt.jwks());
        assertEquals(Duration.ofMinutes(5), jwt.jwks().orElseThrow().refresh());
        assertEquals(Duration.ofSeconds(30), jwt.jwks().orElseThrow().minRefresh());
        assertEquals(Duration.ofSeconds(5), jwt.jwks().orElseThrow().timeout());
        assertEquals(Optional.empty(), jwt.issuer());
        assertEquals(List.of(), jwt.audiences());
        assertEquals(Duration.ofSeconds(30), jwt.clockSkew());
    }

    @Test
    void everyKeyCanBeSet() throws Exception {
        TestCertificate ca = TestCertificate.create(dir, "idp", "idp.example.com");
        Path file = Files.writeString(dir.resolve("gateway.conf"), """
                gateway.identity.sources = [ {
                  type = jwt, jwks-url = "https://idp.example.com:8443/keys", jwks-trust-file = idp.crt
                  jwks-refresh = 10m, jwks-min-refresh = 1m, jwks-timeout = 2s
                  issuer = "https://idp.example.com/", audience = [api, admin], clock-skew = 0s
                } ]
                """);

        JwtIdentity jwt = (JwtIdentity) ConfigLoader.load(file).identity().sources().get(0);

        assertEquals(new JwksConfig(URI.create("https://idp.example.com:8443/keys"), Optional.of(ca.certFile().toAbsolutePath()),
                Duration.ofMinutes(10), Duration.ofMinutes(1), Duration.ofSeconds(2)), jwt.jwks().orElseThrow());
        assertEquals(Optional.of("https://idp.example.com/"), jwt.issuer());
        assertEquals(List.of("api", "admin"), jwt.audiences());
        assertEquals(Duration.ZERO, jwt.clockSkew());
    }

    @Test
    void oneAudienceMayBeAString() throws Exception {
        assertEquals(List.of("api"), jwt("{ type = jwt, hs256-secret = s, audience = api }").audiences());
    }

    @Test
    void anUnsetMinRefreshFollowsAShortRefreshDown() throws Exception {
        JwksConfig jwks = jwt("{ type = jwt, jwks-url = \"" + URL + "\", jwks-refresh = 10s }").jwks().orElseThrow();

        assertEquals(Duration.ofSeconds(10), jwks.minRefresh());
    }

    @Test
    void withTheUrlUnsetTheOtherJwksKeysMeanNothing() throws Exception {
        JwtIdentity jwt = jwt("{ type = jwt, hs256-secret = s, jwks-url = ${?JWKS_URL_NEVER_SET_IN_TESTS}, jwks-refresh = 1m }");

        assertEquals(Optional.empty(), jwt.jwks());
    }

    @Test
    void badValuesAreReportedWithTheirLine() {
        InvalidConfigException e = assertThrows(InvalidConfigException.class, () -> ConfigLoader.parse("""
                gateway.identity.sources = [
                  { type = jwt, jwks-url = "http://idp.example.com/jwks" }
                  { type = jwt, jwks-url = "https://idp.example.com/jwks", jwks-refresh = soon, jwks-timeout = 2m }
                  { type = jwt, jwks-url = "https://idp.example.com/jwks", jwks-refresh = 1m, jwks-min-refresh = 2m }
                  { type = jwt, jwks-uri = "https://idp.example.com/jwks", jwks-trust-file = no-such.crt }
                  { type = jwt, issuer = "", audience = [], clock-skew = -1s }
                  { type = jwt, jwks-url = "https://user@idp.example.com/jwks", audience = [api, ""] }
                ]
                """, "t.conf"));

        String expectedUrl = "(expected: an https:// URL such as \"https://idp.example.com/.well-known/jwks.json\","
                + " without user or fragment)";
        assertEquals(List.of(
                "t.conf:2: gateway.identity.sources[0].jwks-url: \"http://idp.example.com/jwks\" " + expectedUrl,
                "t.conf:3: gateway.identity.sources[1].jwks-refresh: \"soon\" (expected: a duration such as 500ms or 2s)",
                "t.conf:3: gateway.identity.sources[1].jwks-timeout: \"2m\" (expected: a duration > 0 and <= 60s)",
                "t.conf:4: gateway.identity.sources[2].jwks-min-refresh: \"2m\" (expected: a duration <= jwks-refresh, 60s)",
                "t.conf:5: gateway.identity.sources[3].jwks-trust-file: no such file: no-such.crt",
                "t.conf:5: gateway.identity.sources[3].jwks-uri: unknown key (did you mean `jwks-url`?)",
                "t.conf:6: gateway.identity.sources[4].audience: [] (expected: a non-empty string or list of strings)",
                "t.conf:6: gateway.identity.sources[4].clock-skew: \"-1s\" (expected: a duration >= 0s)",
                "t.conf:6: gateway.identity.sources[4].issuer: \"\" (expected: the issuer's iss, a non-empty string)",
                "t.conf:7: gateway.identity.sources[5].audience[1]: \"\" (expected: a non-empty audience)",
                "t.conf:7: gateway.identity.sources[5].jwks-url: \"https://user@idp.example.com/jwks\" " + expectedUrl),
                e.problems().stream().map(ConfigProblem::toString).toList());
    }

    @Test
    void aStaticRsaKeyAndAJwksAreExclusive() throws Exception {
        String pem = "-----BEGIN PUBLIC KEY-----\\n" + java.util.Base64.getEncoder().encodeToString(
                java.security.KeyPairGenerator.getInstance("RSA").generateKeyPair().getPublic().getEncoded())
                + "\\n-----END PUBLIC KEY-----";
        InvalidConfigException e = assertThrows(InvalidConfigException.class, () -> ConfigLoader.parse(
                "gateway.identity.sources = [ { type = jwt, rs256-public-key = \"" + pem + "\", jwks-url = \"" + URL + "\" } ]",
                "t.conf"));

        assertEquals(List.of("t.conf:1: gateway.identity.sources[0].rs256-public-key: set together with jwks-url"
                        + " (expected: one of them; with jwks-url, RS256 keys come from the JWKS)"),
                e.problems().stream().map(ConfigProblem::toString).toList());
    }
}
