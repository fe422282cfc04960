package io.edgegateway.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgegateway.loadtest.upstream.MockUpstream;
import io.edgegateway.server.routing.Route;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A reload hands a route that keeps its id what it learnt while serving (its live latency window,
 * its shedder, its hedge budget) while their settings stay; a changed setting starts that part anew.
 */
class ReloadKeepsLiveStateTest {

    private MockUpstream upstream;
    private TestGateway gateway;

    @AfterEach
    void stop() {
        gateway.close();
        upstream.close();
    }

    private String config(String routeExtra) {
        return "routes = [{ id = live, match { path-prefix = \"/\" }, upstreams = [\"" + upstream.baseUrl() + "\", \""
                + upstream.baseUrl().replace("127.0.0.1", "localhost") + "\"], "
                + "hedge { after = 1s }, load-shedding { p99-above = 5s }" + routeExtra + " }]";
    }

    private Route route() {
        return gateway.server().routes().routes().get(0);
    }

    @Test
    void aReloadThatChangesARateLimitKeepsTheWindowTheShedderAndTheHedgeBudget() throws Exception {
        upstream = MockUpstream.builder().start();
        gateway = TestGateway.start(config(""));
        for (int i = 0; i < 20; i++) {
            assertThat(gateway.get("/" + i).statusCode()).isEqualTo(200);
        }
        Route before = route();
        long recorded = before.latencyWindow().snapshot().count();

        gateway.server().reload(TestGateway.config(config(", rate-limit { requests = 999, window = 60s }")));

        Route after = route();
        assertThat(after).isNotSameAs(before);
        assertThat(after.latencyWindow()).isSameAs(before.latencyWindow());
        assertThat(after.latencyWindow().snapshot().count()).isGreaterThanOrEqualTo(recorded);
        assertThat(after.shedder()).isSameAs(before.shedder());
        assertThat(after.hedge()).isSameAs(before.hedge());
    }

    @Test
    void aChangedHedgeStartsANewBudgetAndKeepsTheWindowAndTheShedder() throws Exception {
        upstream = MockUpstream.builder().start();
        gateway = TestGateway.start(config(""));
        Route before = route();

        gateway.server().reload(TestGateway.config(config("").replace("hedge { after = 1s }", "hedge { after = 2s }")));

        Route after = route();
        assertThat(after.hedge()).isNotSameAs(before.hedge());
        assertThat(after.latencyWindow()).isSameAs(before.latencyWindow());
        assertThat(after.shedder()).isSameAs(before.shedder());
    }
}
