package io.edgegateway.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgegateway.config.ConfigLoader;
import io.edgegateway.loadtest.upstream.MockUpstream;
import io.edgegateway.testkit.TestCertificate;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code https://} upstreams: the upstream here is a second gateway terminating TLS in front of a
 * mock, so the whole chain runs on real sockets and real TLS.
 */
class HttpsUpstreamTest {

    @TempDir
    Path dir;
    private MockUpstream mock;
    private GatewayServer tlsUpstream;
    private TestCertificate localhost;
    private TestGateway gateway;

    @BeforeEach
    void start() throws Exception {
        mock = MockUpstream.builder().name("behind-tls").start();
        localhost = TestCertificate.create(dir, "localhost", "localhost");
        tlsUpstream = GatewayServer.start(ConfigLoader.parse("""
                gateway {
                  listen { host = "127.0.0.1", port = 0, tls { cert-file = "%s", key-file = "%s" } }
                  admin { host = "127.0.0.1", port = 0 }
                  routes = [ { id = behind, match { path-prefix = "/" }, upstreams = ["http://127.0.0.1:%d"] } ]
                }
                """.formatted(localhost.certFile(), localhost.keyFile(), mock.port()), "upstream.conf"), 1);
    }

    @AfterEach
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
        tlsUpstream.close();
        mock.close();
    }

    private void startGateway(String upstreamHost, boolean trusted) throws Exception {
        gateway = TestGateway.start((trusted ? "upstream.trust-file = \"" + localhost.certFile() + "\"\n" : "")
                + "routes = [ { id = secure, match { path-prefix = \"/\" }, upstreams = [\"https://" + upstreamHost + ":"
                + tlsUpstream.port() + "\"] } ]");
    }

    @Test
    void aTrustedUpstreamIsReachedOverTls() throws Exception {
        startGateway("localhost", true);

        for (int i = 0; i < 3; i++) {
            HttpResponse<String> response = gateway.get("/over-tls/" + i);
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("x-upstream")).hasValue("behind-tls");
        }
        assertThat(mock.lastRequest().orElseThrow().header("x-forwarded-proto")).as("as the TLS gateway saw it").isEqualTo("https");
        assertThat(mock.connectionsAccepted()).as("the TLS connection is pooled like any other").isEqualTo(1);
    }

    @Test
    void anUntrustedCertificateIsABadGateway() throws Exception {
        startGateway("localhost", false);

        assertThat(gateway.get("/").statusCode()).isEqualTo(502);
        assertThat(mock.requestsServed()).isZero();
    }

    @Test
    void aTrustedCertificateForAnotherNameIsABadGateway() throws Exception {
        TestCertificate other = TestCertificate.create(dir, "other", "other.test"); // and IP 127.0.0.1
        try (GatewayServer otherUpstream = GatewayServer.start(ConfigLoader.parse("""
                gateway {
                  listen { host = "127.0.0.1", port = 0, tls { cert-file = "%s", key-file = "%s" } }
                  admin { host = "127.0.0.1", port = 0 }
                  routes = [ { id = behind, match { path-prefix = "/" }, upstreams = ["http://127.0.0.1:%d"] } ]
                }
                """.formatted(other.certFile(), other.keyFile(), mock.port()), "other.conf"), 1)) {
            gateway = TestGateway.start("upstream.trust-file = \"" + other.certFile() + "\"\n"
                    + "routes = [ { id = by-name, match { path-prefix = \"/name\" }, upstreams = [\"https://localhost:"
                    + otherUpstream.port() + "\"] }, { id = by-ip, match { path-prefix = \"/ip\" }, upstreams = [\"https://127.0.0.1:"
                    + otherUpstream.port() + "\"] } ]");

            assertThat(gateway.get("/name").statusCode()).as("localhost is not a name of the certificate").isEqualTo(502);
            assertThat(mock.requestsServed()).isZero();
            assertThat(gateway.get("/ip").statusCode()).as("127.0.0.1 is").isEqualTo(200);
        }
    }
}
