package io.edgegateway.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgegateway.loadtest.upstream.MockUpstream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RateLimitingTest {

    private MockUpstream upstream;
    private TestGateway gateway;

    @BeforeEach
    void startUpstream() {
        upstream = MockUpstream.builder().name("up").start();
    }

    @AfterEach
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
        upstream.close();
    }

    private void start(String rateLimitSettings) throws Exception {
        gateway = TestGateway.start("""
                identity { sources = [ { type = header, name = "X-API-Key" }, { type = client-ip } ] }
                rate-limit { %s }
                routes = [
                  { id = limited, match { path-prefix = "/limited" }, upstreams = ["http://127.0.0.1:%d"],
                    rate-limit { requests = 3, window = 60s } }
                  { id = free, match { path-prefix = "/free" }, upstreams = ["http://127.0.0.1:%d"] }
                ]
                """.formatted(rateLimitSettings, upstream.port(), upstream.port()));
    }

    private RawHttpConnection.Response get(String path, String apiKey) throws Exception {
        try (RawHttpConnection connection = new RawHttpConnection(gateway.port())) {
            return connection.send("GET " + path + " HTTP/1.1\r\nHost: a\r\n"
                    + (apiKey == null ? "" : "X-API-Key: " + apiKey + "\r\n") + "\r\n").read();
        }
    }

    @Test
    void theQuotaIsEnforcedPerIdentityAndDenialsNeverReachTheUpstream() throws Exception {
        start("");
        for (int i = 1; i <= 3; i++) {
            RawHttpConnection.Response allowed = get("/limited", "alice");
            assertThat(allowed.status()).isEqualTo(200);
            assertThat(allowed.header("ratelimit-policy")).isEqualTo("\"limited\";q=3;w=60");
            assertThat(allowed.header("ratelimit")).startsWith("\"limited\";r=" + (3 - i) + ";t=");
            assertThat(allowed.header("x-ratelimit-limit")).isEqualTo("3");
            assertThat(allowed.header("x-ratelimit-remaining")).isEqualTo(Integer.toString(3 - i));
            assertThat(allowed.header("x-ratelimit-reset")).isNotNull();
        }
        long served = upstream.requestsServed();
        RawHttpConnection.Response denied = get("/limited", "alice");
        assertThat(denied.status()).isEqualTo(429);
        assertThat(denied.bodyText()).isEqualTo("{\"error\":\"rate_limited\"}");
        assertThat(Long.parseLong(denied.header("retry-after"))).isBetween(1L, 60L);
        assertThat(denied.header("ratelimit")).startsWith("\"limited\";r=0;t=");
        assertThat(denied.header("x-ratelimit-remaining")).isEqualTo("0");
        assertThat(upstream.requestsServed()).isEqualTo(served);

        assertThat(get("/limited", "bob").status()).as("another identity").isEqualTo(200);
        assertThat(get("/free", "alice").status()).as("a route without a quota").isEqualTo(200);
        assertThat(get("/free", "alice").header("ratelimit")).isNull();
    }

    @Test
    void withoutAnApiKeyTheClientAddressIsTheIdentity() throws Exception {
        start("");
        for (int i = 0; i < 3; i++) {
            assertThat(get("/limited", null).status()).isEqualTo(200);
        }
        assertThat(get("/limited", null).status()).isEqualTo(429);
        assertThat(get("/limited", "carol").status()).isEqualTo(200);
    }

    @Test
    void shadowModeDecidesAndCountsButNeverDenies() throws Exception {
        start("mode = shadow");
        for (int i = 0; i < 5; i++) {
            assertThat(get("/limited", "dave").status()).isEqualTo(200);
        }
        RawHttpConnection.Response over = get("/limited", "dave");
        assertThat(over.status()).isEqualTo(200);
        assertThat(over.header("x-ratelimit-remaining")).isEqualTo("0");
        assertThat(gateway.admin("/metrics").body())
                .contains("gateway_ratelimit_decisions_total{route=\"limited\",decision=\"denied\",} 3.0")
                .contains("gateway_ratelimit_decisions_total{route=\"limited\",decision=\"allowed\",} 3.0");
    }

    @Test
    void aForgedOrExpiredJwtIs401AndNeverLimitedUnderItsClaim() throws Exception {
        gateway = TestGateway.start("""
                identity { sources = [ { type = jwt, hs256-secret = "s3cret" }, { type = client-ip } ] }
                routes = [ { id = limited, match { path-prefix = "/" }, upstreams = ["http://127.0.0.1:%d"],
                             rate-limit { requests = 1, window = 60s } } ]
                """.formatted(upstream.port()));
        long now = System.currentTimeMillis() / 1000;
        String good = Jwts.hs256("s3cret", "{\"sub\":\"frank\",\"exp\":" + (now + 600) + "}");
        String forged = Jwts.hs256("wrong", "{\"sub\":\"grace\",\"exp\":" + (now + 600) + "}");
        String expired = Jwts.hs256("s3cret", "{\"sub\":\"heidi\",\"exp\":" + (now - 600) + "}");

        RawHttpConnection.Response rejected = bearer(forged);
        assertThat(rejected.status()).isEqualTo(401);
        assertThat(rejected.bodyText()).isEqualTo("{\"error\":\"invalid_token\"}");
        assertThat(bearer(expired).status()).isEqualTo(401);

        assertThat(bearer(good).status()).isEqualTo(200);
        assertThat(bearer(good).status()).as("frank's one request is used").isEqualTo(429);
        assertThat(bearer(forged).status()).as("still 401, not limited as grace").isEqualTo(401);
    }

    private RawHttpConnection.Response bearer(String token) throws Exception {
        try (RawHttpConnection connection = new RawHttpConnection(gateway.port())) {
            return connection.send("GET / HTTP/1.1\r\nHost: a\r\nAuthorization: Bearer " + token + "\r\n\r\n")
                    .read();
        }
    }

    @Test
    void aDefaultQuotaLimitsRoutesThatSayNothing() throws Exception {
        start("default { requests = 1, window = 10s }");
        assertThat(get("/free", "erin").status()).isEqualTo(200);
        assertThat(get("/free", "erin").status()).isEqualTo(429);
    }
}
