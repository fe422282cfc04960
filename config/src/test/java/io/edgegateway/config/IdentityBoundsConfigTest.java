package io.edgegateway.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** identity.max-length, rate-limit.local.max-identities, access-log.identity and identity-salt. */
class IdentityBoundsConfigTest {

    @Test
    void defaultsBoundIdentitiesAndHashThemInTheLog() throws Exception {
        GatewayConfig config = ConfigLoader.parse("", "empty.conf");

        assertEquals(4096, config.identity().maxLength());
        assertEquals(IdentityConfig.DEFAULT_MAX_LENGTH, config.identity().maxLength());
        assertEquals(LocalStoreConfig.AUTO, config.rateLimit().local());
        assertEquals(IdentityInLog.HASH, config.accessLog().identity());
        assertEquals(Optional.empty(), config.accessLog().identitySalt());
    }

    @Test
    void eachCanBeSet() throws Exception {
        GatewayConfig config = ConfigLoader.parse("""
                gateway {
                  identity { max-length = 16k, sources = [ { type = header, name = X-API-Key } ] }
                  rate-limit.local.max-identities = 5000
                  access-log { identity = plain, identity-salt = pepper }
                }
                """, "t.conf");

        assertEquals(16384, config.identity().maxLength());
        assertEquals(new LocalStoreConfig(OptionalInt.of(5000)), config.rateLimit().local());
        assertEquals(IdentityInLog.PLAIN, config.accessLog().identity());
        assertEquals(Optional.of("pepper"), config.accessLog().identitySalt());
        assertEquals(IdentityInLog.REDACT,
                ConfigLoader.parse("gateway.access-log.identity = redact", "t.conf").accessLog().identity());
        assertEquals(LocalStoreConfig.AUTO,
                ConfigLoader.parse("gateway.rate-limit.local.max-identities = auto", "t.conf").rateLimit().local());
        assertEquals(100, ConfigLoader.parse("gateway.identity.max-length = 100", "t.conf").identity().maxLength());
    }

    @Test
    void badValuesAreReportedWithTheirLine() {
        InvalidConfigException e = assertThrows(InvalidConfigException.class, () -> ConfigLoader.parse("""
                gateway.identity.max-length = 0
                gateway.rate-limit.local { max-identities = lots, max-idents = 3 }
                gateway.access-log { identity = sha1, identity-salt = "" }
                gateway.rate-limit.local.max-identities = 0
                """, "t.conf"));

        assertEquals(List.of(
                "t.conf:1: gateway.identity.max-length: 0 (expected: a size in bytes > 0)",
                "t.conf:2: gateway.rate-limit.local.max-idents: unknown key (expected one of: max-identities)",
                "t.conf:3: gateway.access-log.identity-salt: \"\" (expected: a non-empty secret)",
                "t.conf:3: gateway.access-log.identity: \"sha1\" (expected: one of hash, redact, plain)",
                "t.conf:4: gateway.rate-limit.local.max-identities: 0 (expected: an integer > 0)"),
                e.problems().stream().map(ConfigProblem::toString).toList());
        InvalidConfigException word = assertThrows(InvalidConfigException.class,
                () -> ConfigLoader.parse("gateway.rate-limit.local.max-identities = lots", "t.conf"));
        assertEquals(List.of("t.conf:1: gateway.rate-limit.local.max-identities: \"lots\" (expected: auto or an integer >= 1)"),
                word.problems().stream().map(ConfigProblem::toString).toList());
    }
}
