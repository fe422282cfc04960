package io.edgegateway.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgegateway.loadtest.upstream.MockUpstream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code X-Priority} is a trusted proxy's to set: from any other client it is not believed and does
 * not reach the upstream; from a trusted proxy it is kept.
 */
class PriorityTrustTest {

    private MockUpstream upstream;
    private TestGateway gateway;

    @AfterEach
    void stop() {
        gateway.close();
        upstream.close();
    }

    private void start(String trustedProxies, String routeShedding) throws Exception {
        upstream = MockUpstream.builder().start();
        gateway = TestGateway.start("identity.sources = [ { type = client-ip, trusted-proxies = " + trustedProxies + " } ]\n"
                + "routes = [{ id = r, match { path-prefix = \"/\" }, upstreams = [\"" + upstream.baseUrl() + "\"]"
                + routeShedding + " }]");
    }

    private String forwardedPriority() throws Exception {
        HttpResponse<String> response = TestGateway.client().send(HttpRequest.newBuilder(gateway.uri("/p"))
                .header("X-Priority", "high").timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return upstream.lastRequest().orElseThrow().header("x-priority");
    }

    @Test
    void aClientThatIsNoTrustedProxyCannotSetItsPriority() throws Exception {
        start("[]", ", load-shedding { p99-above = 10s }");
        assertThat(forwardedPriority()).isNull();
    }

    @Test
    void onARouteThatNeverShedsTheHeaderIsRemovedToo() throws Exception {
        start("[]", "");
        assertThat(forwardedPriority()).isNull();
    }

    @Test
    void aTrustedProxysPriorityIsKept() throws Exception {
        start("[\"127.0.0.0/8\"]", ", load-shedding { p99-above = 10s }");
        assertThat(forwardedPriority()).isEqualTo("high");
    }

    @Test
    void aRouteThatBelievesEveryoneKeepsIt() throws Exception {
        start("[]", ", load-shedding { p99-above = 10s, priority-header = any }");
        assertThat(forwardedPriority()).isEqualTo("high");
    }
}
