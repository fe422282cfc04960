package io.edgegateway.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgegateway.loadtest.upstream.MockUpstream;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A route that points back at the gateway (a misconfiguration: its own address, or a load balancer
 * in front of it) is a loop. The gateway's {@code Via} pseudonym on the request it forwarded tells
 * it the request is back, and it answers 508 at once: one extra hop, where without it the request
 * would go round until its headers were too large (about a thousand hops, each holding two
 * connections).
 */
class RoutingLoopTest {

    private MockUpstream upstream;
    private TestGateway gateway;

    @AfterEach
    void stop() {
        gateway.close();
        upstream.close();
    }

    @Test
    void aRouteBackToTheGatewayIsAnsweredLoopDetectedOnTheSecondVisit() throws Exception {
        upstream = MockUpstream.builder().name("up").start();
        gateway = TestGateway.start("routes = [" + TestGateway.route("ok", "/ok", upstream.port()) + "]");
        gateway.server().reload(TestGateway.config("routes = [" + TestGateway.route("ok", "/ok", upstream.port()) + ", "
                + TestGateway.route("loop", "/loop", gateway.port()) + "]"));

        HttpResponse<String> looped = gateway.get("/loop/x");
        assertThat(looped.statusCode()).isEqualTo(508);
        assertThat(looped.body()).isEqualTo("{\"error\":\"loop_detected\"}");
        MetricsScrape metrics = MetricsScrape.of(gateway);
        assertThat(metrics.count("gateway_requests_total", "route", "none", "code", "508")).as("the second visit").isEqualTo(1);
        assertThat(metrics.count("gateway_requests_total", "route", "loop", "code", "508")).as("the first").isEqualTo(1);
        assertThat(gateway.get("/ok/y").statusCode()).isEqualTo(200);
    }
}
