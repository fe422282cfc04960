package io.edgegateway.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code limits.headers-with-underscores} and the identity sources it constrains. */
class UnderscoreHeadersConfigTest {

    @Test
    void dropIsTheDefault() throws Exception {
        assertEquals(UnderscoreHeaders.DROP, ConfigLoader.parse("", "t.conf").limits().headersWithUnderscores());
    }

    @Test
    void everySpellingIsRead() throws Exception {
        for (UnderscoreHeaders policy : UnderscoreHeaders.values()) {
            String spelling = policy.name().toLowerCase();
            GatewayConfig config = ConfigLoader.parse("gateway.limits.headers-with-underscores = " + spelling, "t.conf");
            assertEquals(policy, config.limits().headersWithUnderscores());
        }
    }

    @Test
    void anUnknownValueIsNamedWithTheChoices() {
        assertProblems("gateway.limits.headers-with-underscores = ignore",
                "t.conf:1: gateway.limits.headers-with-underscores: \"ignore\" (expected: one of drop, allow, reject)");
    }

    @Test
    void anIdentityHeaderWithAnUnderscoreIsAnErrorUnlessAllowed() throws Exception {
        String sources = """
                gateway.identity.sources = [
                  { type = header, name = "X_Api_Key" }
                  { type = jwt, header = "Auth_Token", hs256-secret = s }
                ]
                """;
        String expected = "(expected: a header name without _, since limits.headers-with-underscores removes or refuses"
                + " such headers before identity is read; rename it or set that to allow)";
        assertProblems(sources,
                "t.conf:2: gateway.identity.sources[0].name: \"X_Api_Key\" " + expected,
                "t.conf:3: gateway.identity.sources[1].header: \"Auth_Token\" " + expected);
        assertProblems(sources + "gateway.limits.headers-with-underscores = reject",
                "t.conf:2: gateway.identity.sources[0].name: \"X_Api_Key\" " + expected,
                "t.conf:3: gateway.identity.sources[1].header: \"Auth_Token\" " + expected);

        GatewayConfig allowed = ConfigLoader.parse(sources + "gateway.limits.headers-with-underscores = allow", "t.conf");
        assertEquals(new HeaderIdentity("X_Api_Key"), allowed.identity().sources().get(0));
    }

    private static void assertProblems(String hocon, String... expected) {
        InvalidConfigException e = assertThrows(InvalidConfigException.class, () -> ConfigLoader.parse(hocon, "t.conf"));
        assertEquals(List.of(expected), e.problems().stream().map(ConfigProblem::toString).toList());
    }
}
