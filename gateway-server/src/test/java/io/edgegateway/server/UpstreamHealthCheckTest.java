package io.edgegateway.server;

import static io.edgegateway.server.UpstreamRoutes.ROUTE;
import static io.edgegateway.server.UpstreamRoutes.healthy;
import static io.edgegateway.server.UpstreamRoutes.route;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.edgegateway.loadtest.upstream.MockUpstream;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Active health checks through a real gateway: an instance failing its check gets no requests until it passes again. */
class UpstreamHealthCheckTest {

    private static final String CHECK = "health-check { path = \"" + ScriptedUpstream.HEALTH_PATH + "\", interval = 100ms,"
            + " timeout = 100ms, healthy-threshold = 1, unhealthy-threshold = 2 }, outlier-detection = off";

    @RegisterExtension
    final UpstreamFixture fixture = new UpstreamFixture();
    private TestGateway gateway;

    private double outlierEjections(String label) throws Exception {
        return MetricsScrape.of(gateway).value("gateway_upstream_ejections_total",
                "route", ROUTE, "upstream", label, "reason", "outlier");
    }

    private double healthCheckEjections(String label) throws Exception {
        return MetricsScrape.of(gateway).value("gateway_upstream_ejections_total",
                "route", ROUTE, "upstream", label, "reason", "health_check");
    }

    @Test
    void anInstanceFailingItsCheckGetsNoRequestsUntilItPassesAgain() throws Exception {
        ScriptedUpstream checked = fixture.scripted("checked");
        MockUpstream live = fixture.mock("live");
        gateway = fixture.startGateway(route(CHECK, checked.port(), live.port()));

        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20)).until(() -> {
            gateway.get("/before");
            return checked.requests() > 0;
        });
        assertThat(healthy(gateway, checked.label())).isEqualTo(1);
        assertThat(healthCheckEjections(checked.label())).isZero();

        checked.health(503);
        await().atMost(Duration.ofSeconds(30)).until(() -> healthy(gateway, checked.label()) == 0);
        assertThat(healthCheckEjections(checked.label())).isEqualTo(1);
        int beforeOut = checked.requests();
        for (int i = 0; i < 20; i++) {
            HttpResponse<String> response = gateway.get("/out/" + i);
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("x-upstream")).hasValue("live");
        }
        assertThat(checked.requests()).as("no request while out").isEqualTo(beforeOut);

        checked.health(200);
        await().atMost(Duration.ofSeconds(30)).until(() -> healthy(gateway, checked.label()) == 1);
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20)).until(() -> {
            assertThat(gateway.get("/back").statusCode()).isEqualTo(200);
            return checked.requests() > beforeOut;
        });
        assertThat(healthCheckEjections(checked.label())).isEqualTo(1);
    }

    @Test
    void anInstanceOutWhenAReloadChangesItsCheckComesBackOncePassingIt() throws Exception {
        ScriptedUpstream checked = fixture.scripted("checked").health(503);
        ScriptedUpstream other = fixture.scripted("other");
        gateway = fixture.startGateway(route(CHECK, checked.port(), other.port()));
        await().atMost(Duration.ofSeconds(30)).until(() -> healthy(gateway, checked.label()) == 0);

        gateway.server().reload(TestGateway.config(route(CHECK.replace("interval = 100ms", "interval = 150ms"),
                checked.port(), other.port())));
        checked.health(200);

        int checksBefore = checked.healthChecks();
        await().atMost(Duration.ofSeconds(30)).until(() -> checked.healthChecks() >= checksBefore + 5);
        await().atMost(Duration.ofSeconds(10)).until(() -> healthy(gateway, checked.label()) == 1);
    }

    @Test
    void anInstanceEjectedWhileDownIsBackOnceItsCheckPassesWithoutWaitingOutItsEjection() throws Exception {
        ScriptedUpstream restarted = fixture.scripted("restarted");
        ScriptedUpstream other = fixture.scripted("other");
        gateway = fixture.startGateway(route(CHECK.replace("outlier-detection = off",
                "outlier-detection { consecutive-failures = 1, base-ejection = 10m }"), restarted.port(), other.port()));

        // Going down: its requests fail (ejected for ten minutes), then so does its check.
        restarted.answer(503);
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20)).until(() -> {
            gateway.get("/down");
            return outlierEjections(restarted.label()) == 1;
        });
        restarted.health(503);
        await().atMost(Duration.ofSeconds(30)).until(() -> healthCheckEjections(restarted.label()) == 1);

        // Up again: the passing check readmits it long before its ejection would have ended.
        restarted.answer(200).health(200);
        int before = restarted.requests();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20)).until(() -> {
            assertThat(gateway.get("/up").statusCode()).isEqualTo(200);
            return restarted.requests() > before;
        });
        assertThat(healthy(gateway, restarted.label())).isEqualTo(1);
    }

    @Test
    void everyInstanceFailingItsCheckIsAnswered503AtOnce() throws Exception {
        ScriptedUpstream a = fixture.scripted("a").health(503);
        ScriptedUpstream b = fixture.scripted("b").health(503);
        gateway = fixture.startGateway(route(CHECK, a.port(), b.port()));

        await().atMost(Duration.ofSeconds(30))
                .until(() -> healthy(gateway, a.label()) == 0 && healthy(gateway, b.label()) == 0);

        for (int i = 0; i < 5; i++) {
            HttpResponse<String> response = gateway.get("/none/" + i);
            assertThat(response.statusCode()).isEqualTo(503);
            assertThat(response.body()).isEqualTo("{\"error\":\"no_healthy_upstream\"}");
        }
        assertThat(a.requests() + b.requests()).as("nothing forwarded").isZero();
        assertThat(a.healthChecks()).isGreaterThanOrEqualTo(2);
    }
}
