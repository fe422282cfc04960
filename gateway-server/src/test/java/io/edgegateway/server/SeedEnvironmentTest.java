package io.edgegateway.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgegateway.config.InvalidConfigException;
import io.edgegateway.loadtest.upstream.MockUpstream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ops/examples/seed-env.conf} with the seed's environment names ({@code ops/examples/gateway.env}):
 * a gateway process started with them set limits and logs as they say, and without them as the file says.
 */
class SeedEnvironmentTest {

    @TempDir
    Path dir;
    private MockUpstream upstream;

    @BeforeEach
    void start() {
        upstream = MockUpstream.builder().name("up").start();
    }

    @AfterEach
    void stop() {
        upstream.close();
    }

    @Test
    void theSeedsVariablesSetTheQuotaAndTheLogLevel() throws Exception {
        Map<String, String> environment = ports();
        environment.put("REQUEST_RATE_LIMIT", "3");
        environment.put("SLIDING_WINDOW_SECONDS", "120");
        environment.put("BURST_MULTIPLIER", "1");
        environment.put("BLOCK_DURATION_MINUTES", "1");
        environment.put("LOG_LEVEL", "warning");
        try (GatewayProcess gateway = start(environment)) {
            for (int i = 0; i < 3; i++) {
                HttpResponse<String> allowed = get(gateway);
                assertThat(allowed.statusCode()).isEqualTo(200);
                assertThat(allowed.headers().firstValue("ratelimit-policy")).hasValue("\"api\";q=3;w=120");
            }
            assertThat(get(gateway).statusCode()).as("the fourth in 120 s").isEqualTo(429);
            assertThat(gateway.output()).as("INFO lines below LOG_LEVEL=warning").doesNotContain("gateway listening on");
        }
    }

    @Test
    void withoutThemTheFilesValuesApply() throws Exception {
        try (GatewayProcess gateway = start(ports())) {
            HttpResponse<String> allowed = get(gateway);
            assertThat(allowed.statusCode()).isEqualTo(200);
            assertThat(allowed.headers().firstValue("ratelimit-policy")).hasValue("\"api\";q=100;w=60");
            assertThat(gateway.output()).contains("gateway listening on");
        }
    }

    private Map<String, String> ports() throws Exception {
        Map<String, String> environment = new HashMap<>();
        environment.put("GATEWAY_PORT", Integer.toString(GatewayProcess.freePort()));
        environment.put("ADMIN_PORT", Integer.toString(GatewayProcess.freePort()));
        environment.put("UPSTREAM_URL", "http://127.0.0.1:" + upstream.port());
        return environment;
    }

    private GatewayProcess start(Map<String, String> environment) throws Exception {
        return GatewayProcess.startWithEnvironment(routeFile(), environment,
                Integer.parseInt(environment.get("GATEWAY_PORT")), Integer.parseInt(environment.get("ADMIN_PORT")));
    }

    /**
     * The example file as it is once quotas take {@code burst} and {@code block-for}; until then
     * without those two lines, so that the rest of it is tested.
     */
    private Path routeFile() throws Exception {
        Path example = Promtool.opsPrometheusDir().resolveSibling("examples").resolve("seed-env.conf");
        if (quotasTakeBurstAndBlock()) {
            return example;
        }
        Path trimmed = dir.resolve("seed-env.conf");
        Files.writeString(trimmed, Files.readAllLines(example).stream()
                .filter(line -> !line.trim().startsWith("burst =") && !line.trim().startsWith("block-for ="))
                .collect(Collectors.joining("\n")));
        return trimmed;
    }

    private static boolean quotasTakeBurstAndBlock() throws Exception {
        try {
            TestGateway.config("rate-limit { default { requests = 1, window = 1s, burst = 1.5, block-for = 15m } }");
            return true;
        } catch (InvalidConfigException notYet) {
            return false;
        }
    }

    private static HttpResponse<String> get(GatewayProcess gateway) throws Exception {
        return TestGateway.client().send(HttpRequest.newBuilder(gateway.uri("/hello"))
                .header("X-API-Key", "seed-user").timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
