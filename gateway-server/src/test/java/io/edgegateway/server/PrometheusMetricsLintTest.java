package io.edgegateway.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgegateway.loadtest.upstream.MockUpstream;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** A real scrape of the admin port, after traffic of every kind, through {@code promtool check metrics}. */
class PrometheusMetricsLintTest {

    /**
     * The only complaint accepted: CONTRACT.md section 4 defines gateway_route_latency_seconds as
     * a gauge with a {@code quantile} label. It holds the percentiles of the shedder's live window,
     * with no count or sum of observations behind them, so declaring it a summary would be false;
     * the label keeps the name every percentile series has. promtool's rule is a convention for
     * summaries, not a parse problem, and Prometheus stores and queries the gauge as it is.
     */
    private static final List<Pattern> ACCEPTED = List.of(
            Pattern.compile("gateway_route_latency_seconds non-summary metrics should not have \"quantile\" label"));

    @Test
    void aScrapeAfterTrafficPassesPromtoolsLint() throws Exception {
        int closedPort = GatewayProcess.freePort();
        try (MockUpstream upstream = MockUpstream.builder().name("up").start();
                TestGateway gateway = TestGateway.start("""
                        identity { sources = [ { type = client-ip } ] }
                        routes = [
                          { id = users, match { path-prefix = "/users" }, upstreams = ["http://127.0.0.1:%d"] }
                          { id = limited, match { path-prefix = "/limited" }, upstreams = ["http://127.0.0.1:%d"],
                            rate-limit { requests = 1, window = 60s } }
                          { id = broken, match { path-prefix = "/broken" }, upstreams = ["http://127.0.0.1:%d"] }
                        ]
                        """.formatted(upstream.port(), upstream.port(), closedPort))) {
            for (int i = 0; i < 3; i++) {
                assertThat(gateway.get("/users/" + i).statusCode()).isEqualTo(200);
            }
            assertThat(gateway.get("/limited").statusCode()).isEqualTo(200);
            assertThat(gateway.get("/limited").statusCode()).isEqualTo(429);
            assertThat(gateway.get("/broken").statusCode()).isEqualTo(502);
            assertThat(gateway.get("/nowhere").statusCode()).isEqualTo(404);

            String scrape = gateway.admin("/metrics").body();
            assertThat(scrape)
                    .contains("gateway_requests_total{route=\"users\",method=\"GET\",code=\"200\",} 3.0")
                    .contains("gateway_requests_total{route=\"broken\",method=\"GET\",code=\"502\",}")
                    .contains("gateway_ratelimit_decisions_total{route=\"limited\",decision=\"denied\",}")
                    .contains("gateway_request_duration_seconds_bucket{route=\"users\",method=\"GET\",le=\"0.2\",}");

            Promtool.Result lint = Promtool.run(Promtool.opsPrometheusDir(), scrape, "check", "metrics");
            List<String> problems = lint.output().lines()
                    .filter(line -> !line.isBlank())
                    .filter(line -> ACCEPTED.stream().noneMatch(accepted -> accepted.matcher(line).matches()))
                    .toList();
            assertThat(problems).as("promtool check metrics, %s\nscrape:\n%s", lint.describe(), scrape).isEmpty();
            // 0: clean; 3: lint problems, all of them accepted above. Anything else is a failure to parse.
            assertThat(lint.exitCode()).as(lint.describe()).isIn(0, 3);
        }
    }
}
