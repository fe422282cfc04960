package io.edgegateway.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SubstitutionAndIncludeTest {

    private static final String LIMIT = "EDGEGATEWAY_TEST_REQUEST_RATE_LIMIT";
    private static final String ROUTES = """
            gateway.routes = [ { id = a, match.path-prefix = "/", upstreams = ["http://h:1"]
                                 rate-limit { requests = 100, requests = ${?%s}, window = 60s } } ]
            """.formatted(LIMIT);

    @TempDir
    Path dir;

    @AfterEach
    void clearProperty() {
        System.clearProperty(LIMIT);
    }

    @Test
    void optionalSubstitutionKeepsTheValueBeforeItWhenUnset() throws Exception {
        assertEquals(100, quota(ConfigLoader.parse(ROUTES, "t.conf")).requests());
    }

    @Test
    void optionalSubstitutionOverridesFromTheEnvironmentOrSystemProperties() throws Exception {
        System.setProperty(LIMIT, "7");

        assertEquals(7, quota(ConfigLoader.parse(ROUTES, "t.conf")).requests());
    }

    @Test
    void environmentVariablesResolve() throws Exception {
        String path = System.getenv("PATH");
        assumeTrue(path != null);

        assertEquals(path, ConfigLoader.parse("gateway.admin.host = ${PATH}", "t.conf").admin().host());
    }

    @Test
    void unsetOptionalSecretIsAbsent() throws Exception {
        GatewayConfig config = ConfigLoader.parse(
                "gateway.identity.sources = [ { type = jwt, hs256-secret = ${?EDGEGATEWAY_TEST_UNSET} } ]", "t.conf");

        assertEquals(List.of(new JwtIdentity("Authorization", "sub", Optional.empty(), Optional.empty())),
                config.identity().sources());
    }

    @Test
    void includesASiblingFile() throws Exception {
        Files.writeString(dir.resolve("routes.conf"), ROUTES);
        Path main = Files.writeString(dir.resolve("main.conf"), """
                include "routes.conf"
                gateway.shutdown-grace = 3s
                """);

        GatewayConfig config = ConfigLoader.load(main);

        assertEquals(Duration.ofSeconds(3), config.shutdownGrace());
        assertEquals("a", config.routes().get(0).id());
    }

    @Test
    void problemInIncludedFileNamesThatFile() throws Exception {
        Path routes = Files.writeString(dir.resolve("routes.conf"), """
                gateway.routes = [
                  { id = a, match.path-prefix = "/", upstreams = ["http://h:1"], strip-prefix = maybe }
                ]
                """);
        Path main = Files.writeString(dir.resolve("main.conf"), "include \"routes.conf\"\n");

        InvalidConfigException e = assertThrows(InvalidConfigException.class, () -> ConfigLoader.load(main));

        assertEquals(List.of(routes + ":2: gateway.routes[0].strip-prefix: \"maybe\" (expected: true or false)"),
                e.problems().stream().map(ConfigProblem::toString).toList());
    }

    private static Quota quota(GatewayConfig config) {
        return ((RouteRateLimit.Limited) config.routes().get(0).rateLimit()).quota();
    }
}
