package io.edgegateway.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgegateway.loadtest.upstream.MockUpstream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code ops/examples/seed-env.conf} with the seed's environment names ({@code ops/examples/gateway.env}):
 * a gateway process started with them set limits and logs as they say, and without them as the file says.
 */
class SeedEnvironmentTest {

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

    /**
     * BURST_MULTIPLIER = 1.5 over REQUEST_RATE_LIMIT = 4: floor(1.5 x 4) = 6 pass at once and the
     * 7th is denied, a first denial, answered with the window's own reset (at most 30 s). The 8th is
     * a second denial within the window, so BLOCK_DURATION_MINUTES = 1 blocks the identity for 60 s
     * from it, longer than the window, and Retry-After says so (whole seconds, counting down).
     */
    @Test
    void burstMultiplierAndBlockDurationTakeEffect() throws Exception {
        Map<String, String> environment = ports();
        environment.put("REQUEST_RATE_LIMIT", "4");
        environment.put("SLIDING_WINDOW_SECONDS", "30");
        environment.put("BURST_MULTIPLIER", "1.5");
        environment.put("BLOCK_DURATION_MINUTES", "1");
        try (GatewayProcess gateway = start(environment)) {
            for (int i = 1; i <= 6; i++) {
                assertThat(get(gateway).statusCode()).as("request %d of a burst of 1.5 x 4", i).isEqualTo(200);
            }
            HttpResponse<String> firstDenial = get(gateway);
            assertThat(firstDenial.statusCode()).as("the 7th").isEqualTo(429);
            assertThat(retryAfter(firstDenial)).as("a first denial waits for the 30 s window, not a block")
                    .isBetween(1, 30);

            HttpResponse<String> blocked = get(gateway);
            assertThat(blocked.statusCode()).as("the 8th, a second denial within the window").isEqualTo(429);
            assertThat(retryAfter(blocked)).as("blocked for BLOCK_DURATION_MINUTES = 1").isBetween(50, 60);

            HttpResponse<String> stillBlocked = get(gateway);
            assertThat(stillBlocked.statusCode()).isEqualTo(429);
            assertThat(retryAfter(stillBlocked)).as("a request during the block does not extend it")
                    .isBetween(50, retryAfter(blocked));
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

    /**
     * Starts the gateway with {@code environment}. The ports reach it through the route file's
     * variables, so they are chosen free and closed before it binds them (port 0 cannot be read
     * back: one case hides the start-up line); when another process took one meanwhile, the gateway
     * exits at start, and it is started again on new ones.
     */
    private GatewayProcess start(Map<String, String> environment) throws Exception {
        for (int attempt = 1; ; attempt++) {
            try {
                return GatewayProcess.startWithEnvironment(routeFile(), environment,
                        Integer.parseInt(environment.get("GATEWAY_PORT")), Integer.parseInt(environment.get("ADMIN_PORT")));
            } catch (AssertionError exitedAtStart) {
                if (attempt == 3 || !String.valueOf(exitedAtStart.getMessage()).contains("already in use")) {
                    throw exitedAtStart;
                }
                environment.putAll(ports());
            }
        }
    }

    private static Path routeFile() {
        return Promtool.opsPrometheusDir().resolveSibling("examples").resolve("seed-env.conf");
    }

    private static int retryAfter(HttpResponse<String> denied) {
        return Integer.parseInt(denied.headers().firstValue("retry-after").orElseThrow());
    }

    private static HttpResponse<String> get(GatewayProcess gateway) throws Exception {
        return TestGateway.client().send(HttpRequest.newBuilder(gateway.uri("/hello"))
                .header("X-API-Key", "seed-user").timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
