package io.edgegateway.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgegateway.loadtest.upstream.MockUpstream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** identity.max-length and rate-limit.local.max-identities, through a running gateway. */
class IdentityLimitsTest {

    private MockUpstream upstream;
    private TestGateway gateway;

    @AfterEach
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
        upstream.close();
    }

    private void start(String settings) throws Exception {
        upstream = MockUpstream.builder().name("up").recordedRequestsLimit(1).start();
        gateway = TestGateway.start(settings + """

                identity { sources = [ { type = header, name = "X-API-Key" } ] }
                routes = [
                  { id = limited, match { path-prefix = "/" }, upstreams = ["http://127.0.0.1:%d"],
                    rate-limit { requests = 2, window = 60s } }
                ]
                """.formatted(upstream.port()));
    }

    private static String get(String apiKey) {
        return "GET /x HTTP/1.1\r\nHost: a\r\nX-API-Key: " + apiKey + "\r\n\r\n";
    }

    @Test
    void anIdentityOverTheDefault4kIs431AndNeverForwarded() throws Exception {
        start("limits.max-header-bytes = 16k");

        try (RawHttpConnection connection = new RawHttpConnection(gateway.port())) {
            RawHttpConnection.Response tooLong = connection.send(get("k".repeat(4_097))).read();
            assertThat(tooLong.status()).isEqualTo(431);
            assertThat(tooLong.bodyText()).isEqualTo("{\"error\":\"identity_too_long\"}");
            // The connection stays usable, and an identity at the limit is served and counted.
            RawHttpConnection.Response atLimit = connection.send(get("k".repeat(4_096))).read();
            assertThat(atLimit.status()).isEqualTo(200);
            assertThat(atLimit.header("X-RateLimit-Remaining")).isEqualTo("1");
        }
        assertThat(upstream.requestsServed()).isEqualTo(1);
        assertThat(gateway.admin("/metrics").body()).contains("gateway_ratelimit_local_identities 1.0");
    }

    @Test
    void longIdentitiesAreCountedByDigestAndTheStoreStaysWithinItsBound() throws Exception {
        start("""
                limits.max-header-bytes = 16k
                identity.max-length = 16k
                rate-limit.local.max-identities = 3
                """);
        String base = "k".repeat(11_999);

        try (RawHttpConnection connection = new RawHttpConnection(gateway.port())) {
            assertThat(connection.send(get(base + "a")).read().header("X-RateLimit-Remaining")).isEqualTo("1");
            assertThat(connection.send(get(base + "a")).read().header("X-RateLimit-Remaining")).isEqualTo("0");
            assertThat(connection.send(get(base + "a")).read().status()).isEqualTo(429);
            // The last byte makes another identity.
            assertThat(connection.send(get(base + "b")).read().header("X-RateLimit-Remaining")).isEqualTo("1");
            for (int i = 0; i < 10; i++) {
                assertThat(connection.send(get(base + i)).read().status()).isEqualTo(200);
            }
        }
        String metrics = gateway.admin("/metrics").body();
        assertThat(metrics).contains("gateway_ratelimit_local_identities 3.0", "gateway_ratelimit_local_max_identities 3.0",
                "gateway_ratelimit_local_evictions_total 9.0");
    }
}
