package io.edgegateway.server;

import static io.edgegateway.server.UpstreamRoutes.ROUTE;
import static io.edgegateway.server.UpstreamRoutes.healthy;
import static io.edgegateway.server.UpstreamRoutes.label;
import static io.edgegateway.server.UpstreamRoutes.route;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.edgegateway.loadtest.upstream.MockUpstream;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Passive outlier detection through a real gateway: an instance goes out on its failures, comes back when its time is up, and stays out across a reload. */
class UpstreamEjectionTest {

    @RegisterExtension
    final UpstreamFixture fixture = new UpstreamFixture();
    private TestGateway gateway;

    /** Sends requests until the instance is out of rotation; each poll is one more request it may fail. */
    private void sendUntilEjected(String label) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20)).until(() -> {
            gateway.get("/until-ejected");
            return healthy(gateway, label) == 0;
        });
    }

    @Test
    void anEjectedInstanceComesBackOnceItsEjectionIsOverAndServesAgain() throws Exception {
        ScriptedUpstream flaky = fixture.scripted("flaky").answer(503);
        MockUpstream live = fixture.mock("live");
        gateway = fixture.startGateway(route("outlier-detection { consecutive-failures = 2, base-ejection = 1s }",
                flaky.port(), live.port()));

        sendUntilEjected(flaky.label());
        assertThat(MetricsScrape.of(gateway).value("gateway_upstream_ejections_total",
                "route", ROUTE, "upstream", flaky.label(), "reason", "outlier")).isEqualTo(1);
        flaky.answer(200);
        int beforeRecovery = flaky.requests();

        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).until(() -> {
            HttpResponse<String> response = gateway.get("/after");
            assertThat(response.statusCode()).isEqualTo(200);
            return flaky.requests() > beforeRecovery && healthy(gateway, flaky.label()) == 1;
        });
        assertThat(healthy(gateway, label(live.port()))).isEqualTo(1);
    }

    @Test
    void aReloadThatChangesOnlyARateLimitKeepsAnEjectedInstanceOut() throws Exception {
        int stopped = UpstreamRoutes.stoppedPort();
        MockUpstream live = fixture.mock("live");
        String outlier = "outlier-detection { consecutive-failures = 1, base-ejection = 60s }";
        gateway = fixture.startGateway(route(outlier + ", rate-limit { requests = 1000, window = 60s }", stopped, live.port()));

        sendUntilEjected(label(stopped));
        double refusedBefore = MetricsScrape.of(gateway).count("gateway_retries_total", "route", ROUTE,
                "reason", "connect_failure");

        gateway.server().reload(TestGateway.config(route(outlier + ", rate-limit { requests = 999, window = 60s }",
                stopped, live.port())));

        assertThat(healthy(gateway, label(stopped))).isEqualTo(0);
        for (int i = 0; i < 10; i++) {
            HttpResponse<String> response = gateway.get("/reloaded/" + i);
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("ratelimit-policy")).hasValueSatisfying(
                    policy -> assertThat(policy).contains("q=999"));
        }
        assertThat(healthy(gateway, label(stopped))).isEqualTo(0);
        assertThat(MetricsScrape.of(gateway).count("gateway_retries_total", "route", ROUTE, "reason", "connect_failure"))
                .as("nothing went to the ejected instance after the reload").isEqualTo(refusedBefore);
    }
}
