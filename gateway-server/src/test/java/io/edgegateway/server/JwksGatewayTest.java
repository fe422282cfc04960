package io.edgegateway.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.edgegateway.loadtest.upstream.MockUpstream;
import io.edgegateway.testkit.JwksServer;
import io.edgegateway.testkit.RefusingPort;
import io.edgegateway.testkit.SigningKey;
import io.edgegateway.testkit.TestCertificate;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A jwt source with a jwks-url through the whole gateway: keys from a real HTTPS JWKS endpoint,
 * rotation picked up on an unknown kid, iss and aud checked, /ready waiting for the first fetch,
 * and an endpoint down at start.
 */
class JwksGatewayTest {

    private static final SigningKey RSA_1 = SigningKey.rsa("rsa-1");
    private static final SigningKey EC_2 = SigningKey.ec("ec-2");

    @TempDir
    static Path dir;
    private static TestCertificate certificate;

    private MockUpstream upstream;
    private JwksServer jwks;
    private TestGateway gateway;

    @BeforeAll
    static void makeCertificate() {
        certificate = TestCertificate.create(dir, "idp", "localhost");
    }

    @BeforeEach
    void start() {
        upstream = MockUpstream.builder().name("up").start();
        jwks = JwksServer.start(certificate);
    }

    @AfterEach
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
        jwks.close();
        upstream.close();
    }

    private String config(URI jwksUrl) {
        return """
                identity { sources = [
                  { type = jwt, jwks-url = "%s", jwks-trust-file = "%s", jwks-min-refresh = 1s, jwks-timeout = 2s
                    issuer = "https://idp.test/", audience = api }
                  { type = client-ip }
                ] }
                routes = [ { id = api, match { path-prefix = "/" }, upstreams = ["http://127.0.0.1:%d"],
                             rate-limit { requests = 1000, window = 60s } } ]
                """.formatted(jwksUrl, certificate.certFile(), upstream.port());
    }

    private static String token(SigningKey key, String audience) {
        long now = System.currentTimeMillis() / 1000;
        return key.sign("{\"sub\":\"alice\",\"iss\":\"https://idp.test/\",\"aud\":\"" + audience + "\",\"exp\":" + (now + 600) + "}");
    }

    private HttpResponse<String> get(String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(gateway.uri("/hello")).timeout(Duration.ofSeconds(30));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return TestGateway.client().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void tokensVerifyAgainstTheJwksAndARotatedKeyIsPickedUp() throws Exception {
        jwks.serve(RSA_1);
        gateway = TestGateway.start(config(jwks.url()));

        assertThat(get(token(RSA_1, "api")).statusCode()).isEqualTo(200);
        HttpResponse<String> wrongAudience = get(token(RSA_1, "billing"));
        assertThat(wrongAudience.statusCode()).isEqualTo(401);
        assertThat(wrongAudience.headers().firstValue("www-authenticate")).contains(
                "Bearer error=\"invalid_token\", error_description=\"the token audience is not accepted\"");

        jwks.serve(RSA_1, EC_2);
        HttpResponse<String> unknown = get(token(EC_2, "api"));
        assertThat(unknown.statusCode()).as("answered with the keys at hand").isEqualTo(401);
        assertThat(unknown.body()).isEqualTo("{\"error\":\"invalid_token\"}");
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> get(token(EC_2, "api")).statusCode() == 200);

        MetricsScrape metrics = MetricsScrape.of(gateway);
        assertThat(metrics.value("gateway_jwks_refresh_total", "result", "ok")).isEqualTo(2);
        assertThat(metrics.value("gateway_jwks_refresh_total", "result", "error")).isZero();

        int fetched = jwks.requests();
        gateway.server().reload(TestGateway.config(config(jwks.url())));
        assertThat(get(token(EC_2, "api")).statusCode()).as("a reload keeps the keys").isEqualTo(200);
        assertThat(jwks.requests()).isEqualTo(fetched);
    }

    @Test
    void readyWaitsForTheFirstFetch() throws Exception {
        jwks.serve(RSA_1);
        jwks.hold();
        String slowTimeout = config(jwks.url()).replace("jwks-timeout = 2s", "jwks-timeout = 60s");
        GatewayServer server = GatewayServer.start(TestGateway.config(slowTimeout), 2);
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> jwks.requests() == 1);
            HttpResponse<String> ready = TestGateway.client().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + server.adminPort() + "/ready")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(ready.statusCode()).as("the fetch is under way").isEqualTo(503);

            jwks.release();
            await().atMost(Duration.ofSeconds(30)).until(server::isReady);
        } finally {
            server.close();
        }
    }

    @Test
    void withTheEndpointDownAtStartTokensAre401AndRequestsWithoutOneGoOn() throws Exception {
        try (RefusingPort refusing = new RefusingPort()) {
            gateway = TestGateway.start(config(URI.create("https://127.0.0.1:" + refusing.port() + JwksServer.PATH)));

            assertThat(get(token(RSA_1, "api")).statusCode()).isEqualTo(401);
            assertThat(get(null).statusCode()).as("no token: limited by client address").isEqualTo(200);
            assertThat(MetricsScrape.of(gateway).value("gateway_jwks_refresh_total", "result", "error")).isGreaterThanOrEqualTo(1);
        }
    }
}
