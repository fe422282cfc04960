package io.edgegateway.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.edgegateway.loadtest.upstream.MockUpstream;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.awaitility.core.ConditionTimeoutException;
import org.awaitility.core.ThrowingRunnable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Prometheus scraping a test gateway every second with the repository's rules loaded: the
 * counts it stores are the traffic sent, the histogram answers a percentile query, and the rules
 * evaluate without error on real series.
 */
class PrometheusScrapeTest {

    private static final int REQUESTS = 20;

    @TempDir
    Path dir;

    @Test
    void prometheusStoresTheTrafficAndEvaluatesTheRules() throws Exception {
        Path ops = Promtool.opsPrometheusDir();
        try (MockUpstream upstream = MockUpstream.builder().name("up").start();
                TestGateway gateway = TestGateway.start("routes = [" + TestGateway.route("users", "/users", upstream.port()) + "]")) {
            // The route's series are created by its first request: scraped at 1 first, the known
            // traffic after is an increase that rate() sees.
            assertThat(gateway.get("/users/first").statusCode()).isEqualTo(200);
            try (PrometheusServer prometheus = PrometheusServer.start(dir, gateway.server().adminPort(),
                    List.of(ops.resolve("rules.yml"), ops.resolve("alerts.yml")))) {
                String requests = "sum(gateway_requests_total{route=\"users\",code=\"200\"})";
                awaitUntil(prometheus, () -> assertThat(prometheus.queryValues(requests))
                        .singleElement().satisfies(value -> assertThat(Double.parseDouble(value)).isEqualTo(1)));

                for (int i = 0; i < REQUESTS; i++) {
                    assertThat(gateway.get("/users/" + i).statusCode()).isEqualTo(200);
                }
                awaitUntil(prometheus, () -> assertThat(prometheus.queryValues(requests))
                        .singleElement().satisfies(value -> assertThat(Double.parseDouble(value)).isEqualTo(1 + REQUESTS)));

                awaitUntil(prometheus, () -> assertThat(prometheus.queryValues(
                        "histogram_quantile(0.99, sum by (le) "
                                + "(rate(gateway_request_duration_seconds_bucket{route=\"users\"}[1m])))"))
                        .singleElement().satisfies(PrometheusScrapeTest::isAPositiveNumber));
                awaitUntil(prometheus, () -> assertThat(prometheus.queryValues(
                        "route:gateway_request_duration_seconds:quantile_rate5m{route=\"users\",quantile=\"0.99\"}"))
                        .singleElement().satisfies(PrometheusScrapeTest::isAPositiveNumber));
                awaitUntil(prometheus, () -> assertThat(prometheus.queryValues(
                        "route:gateway_requests_5xx:ratio_rate5m{route=\"users\"}")).containsExactly("0"));

                // Every rule has been evaluated at least once, and none failed on the real series.
                awaitUntil(prometheus, () -> assertThat(prometheus.get("/api/v1/rules").body())
                        .contains("\"health\":\"ok\"").doesNotContain("\"health\":\"unknown\""));
                assertThat(prometheus.get("/api/v1/rules").body()).doesNotContain("\"health\":\"err\"");
                assertThat(prometheus.queryValues("ALERTS{alertstate=\"firing\"}")).isEmpty();
                assertThat(prometheus.queryValues("up{job=\"gateway\"}")).containsExactly("1");
            }
        }
    }

    private static void isAPositiveNumber(String value) {
        assertThat(Double.parseDouble(value)).isFinite().isPositive();
    }

    /** Waits until {@code assertion} holds; generous, as a shared two-core machine may be building beside this. */
    private static void awaitUntil(PrometheusServer prometheus, ThrowingRunnable assertion) throws IOException {
        try {
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250)).ignoreExceptions()
                    .untilAsserted(assertion);
        } catch (ConditionTimeoutException e) {
            throw new AssertionError(e.getMessage() + "\nprometheus log:\n" + prometheus.log(), e);
        }
    }
}
