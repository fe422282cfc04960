package io.edgegateway.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgegateway.loadtest.upstream.MockUpstream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class AdminPortTest {

    static MockUpstream upstream;
    static TestGateway gateway;

    @BeforeAll
    static void start() throws Exception {
        upstream = MockUpstream.builder().name("up").start();
        gateway = TestGateway.start("routes = [" + TestGateway.route("users", "/users", upstream.port()) + "]");
    }

    @AfterAll
    static void stop() {
        gateway.close();
        upstream.close();
    }

    @Test
    void healthAndReady() throws Exception {
        assertThat(gateway.admin("/health").statusCode()).isEqualTo(200);
        assertThat(gateway.admin("/ready").statusCode()).isEqualTo(200);
        assertThat(gateway.admin("/nothing").statusCode()).isEqualTo(404);
    }

    @Test
    void metricsCountAndTimeEachRoute() throws Exception {
        gateway.get("/users/1");
        gateway.get("/nowhere");
        String metrics = gateway.admin("/metrics").body();
        assertThat(metrics)
                .contains("gateway_requests_total{route=\"users\",method=\"GET\",code=\"200\",}")
                .contains("gateway_requests_total{route=\"none\",method=\"GET\",code=\"404\",}")
                .contains("gateway_request_duration_seconds_bucket{route=\"users\",method=\"GET\",le=\"0.005\",}")
                .contains("gateway_upstream_duration_seconds_count{route=\"users\",upstream=\"127.0.0.1:"
                        + upstream.port() + "\",}")
                .contains("jvm_memory_bytes_used");
    }
}
