package io.edgegateway.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.edgegateway.loadtest.upstream.MockUpstream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * An instance that a reload (or a DNS change: the same path) takes out of every route is let go of:
 * its pooled connections close at once, not at the idle timeout (ten minutes here, so that only the
 * retirement can close them), and its {@code gateway_upstream_connections} series go, so that a
 * deploy that rotates the instances' addresses leaves neither connections nor series behind. An
 * instance that stays keeps its connections, and a response from a gone instance that comes back
 * late does not bring its series back.
 */
class UpstreamPoolRetirementTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private MockUpstream gone;
    private MockUpstream staying;
    private H2Upstream h2Gone;
    private TestGateway gateway;

    @AfterEach
    void stop() {
        gateway.close();
        if (gone != null) {
            gone.close();
        }
        if (staying != null) {
            staying.close();
        }
        if (h2Gone != null) {
            h2Gone.close();
        }
    }

    private static String config(String... upstreams) {
        return "upstream.idle-timeout = 10m\n"
                + "routes = [{ id = r, match { path-prefix = \"/\" }, upstreams = [\"" + String.join("\", \"", upstreams)
                + "\"], retries = off }]";
    }

    private double idleGauge(String label) throws Exception {
        return MetricsScrape.of(gateway).value("gateway_upstream_connections", "upstream", label, "state", "idle");
    }

    @Test
    void anInstanceNoRouteHasAnyMoreLosesItsConnectionsAndItsSeries() throws Exception {
        gone = MockUpstream.builder().name("gone").start();
        staying = MockUpstream.builder().name("staying").start();
        gateway = TestGateway.start(config(gone.baseUrl(), staying.baseUrl()));
        for (int i = 0; i < 4; i++) {
            assertThat(gateway.get("/before/" + i).statusCode()).isEqualTo(200);
        }
        String goneLabel = UpstreamRoutes.label(gone.port());
        String stayingLabel = UpstreamRoutes.label(staying.port());
        await().atMost(WAIT).until(() -> idleGauge(goneLabel) >= 1 && idleGauge(stayingLabel) >= 1);
        int stayingOpen = staying.connectionsOpen();

        gateway.server().reload(TestGateway.config(config(staying.baseUrl())));

        await().atMost(WAIT).until(() -> gone.connectionsOpen() == 0);
        await().atMost(WAIT).until(() -> Double.isNaN(idleGauge(goneLabel)));
        assertThat(staying.connectionsOpen()).as("the staying instance's pooled connections").isEqualTo(stayingOpen);
        assertThat(idleGauge(stayingLabel)).isEqualTo(stayingOpen);
        assertThat(gateway.get("/after").headers().firstValue("x-upstream")).hasValue("staying");
    }

    @Test
    void aResponseThatComesBackAfterItsInstanceLeftDoesNotBringItsSeriesBack() throws Exception {
        gone = MockUpstream.builder().name("gone").latency("fixed:2s").start();
        staying = MockUpstream.builder().name("staying").start();
        gateway = TestGateway.start(config(gone.baseUrl()));
        CompletableFuture<HttpResponse<String>> late = TestGateway.client().sendAsync(
                HttpRequest.newBuilder(gateway.uri("/late")).timeout(WAIT).build(), HttpResponse.BodyHandlers.ofString());
        await().atMost(WAIT).until(() -> gone.recordedRequests().size() == 1);

        gateway.server().reload(TestGateway.config(config(staying.baseUrl())));
        String goneLabel = UpstreamRoutes.label(gone.port());
        assertThat(MetricsScrape.of(gateway).value("gateway_upstream_duration_seconds_count", "upstream", goneLabel))
                .as("dropped when the instance left").isNaN();

        assertThat(late.get(WAIT.toSeconds(), TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        assertThat(MetricsScrape.of(gateway).value("gateway_upstream_duration_seconds_count", "upstream", goneLabel))
                .as("after the late response").isNaN();
    }

    @Test
    void anHttp2InstanceNoRouteHasAnyMoreLosesItsConnection() throws Exception {
        h2Gone = H2Upstream.cleartext(0);
        staying = MockUpstream.builder().name("staying").start();
        gateway = TestGateway.start(config("h2c://127.0.0.1:" + h2Gone.port()));
        assertThat(gateway.get("/before").statusCode()).isEqualTo(200);
        String goneLabel = UpstreamRoutes.label(h2Gone.port());
        await().atMost(WAIT).until(() -> idleGauge(goneLabel) == 1);

        gateway.server().reload(TestGateway.config(config(staying.baseUrl())));

        await().atMost(WAIT).until(() -> h2Gone.connectionsClosed.get() == h2Gone.connections.get());
        await().atMost(WAIT).until(() -> Double.isNaN(idleGauge(goneLabel)));
        assertThat(gateway.get("/after").headers().firstValue("x-upstream")).hasValue("staying");
    }
}
