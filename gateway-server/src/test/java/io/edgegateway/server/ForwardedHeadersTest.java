package io.edgegateway.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgegateway.loadtest.upstream.MockUpstream;
import io.edgegateway.loadtest.upstream.RecordedRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ForwardedHeadersTest {

    static MockUpstream upstream;
    static TestGateway gateway;

    @BeforeAll
    static void start() throws Exception {
        upstream = MockUpstream.builder().name("up").start();
        gateway = TestGateway.start("routes = [" + TestGateway.route("all", "/", upstream.port()) + "]");
    }

    @AfterAll
    static void stop() {
        gateway.close();
        upstream.close();
    }

    private RecordedRequest forward(String rawHeaders) throws Exception {
        try (RawHttpConnection connection = new RawHttpConnection(gateway.port())) {
            connection.send("GET /echo HTTP/1.1\r\n" + rawHeaders + "\r\n");
            assertThat(connection.read().status()).isEqualTo(200);
        }
        return upstream.lastRequest().orElseThrow();
    }

    @Test
    void hopByHopHeadersAndTheFieldsConnectionNamesAreRemoved() throws Exception {
        RecordedRequest seen = forward("Host: api.test\r\n"
                + "Connection: keep-alive, X-Secret-Hop\r\n"
                + "Proxy-Connection: X-Other-Hop\r\n"
                + "Keep-Alive: timeout=5\r\n"
                + "TE: trailers\r\n"
                + "Upgrade: websocket\r\n"
                + "Proxy-Authorization: Basic Zm9v\r\n"
                + "X-Secret-Hop: 1\r\n"
                + "X-Other-Hop: 2\r\n"
                + "X-End-To-End: 3\r\n");
        for (String hop : new String[] {"connection", "proxy-connection", "keep-alive", "te", "upgrade",
                "proxy-authorization", "x-secret-hop", "x-other-hop"}) {
            assertThat(seen.headers(hop)).as(hop).isEmpty();
        }
        assertThat(seen.header("x-end-to-end")).isEqualTo("3");
    }

    @Test
    void theGatewayAddsItselfToVia() throws Exception {
        assertThat(forward("Host: api.test\r\n").header("via")).matches("1\\.1 edge-gateway-[0-9a-f]{16}");
        assertThat(forward("Host: api.test\r\nVia: 1.1 cdn-edge\r\n").header("via"))
                .matches("1\\.1 cdn-edge, 1\\.1 edge-gateway-[0-9a-f]{16}");
    }

    @Test
    void connectionCannotStripHostOrFraming() throws Exception {
        RecordedRequest seen = forward("Host: api.test\r\nConnection: Host, Content-Length\r\n");
        assertThat(seen.header("host")).isEqualTo("api.test");
    }

    @Test
    void forwardedHeadersAreSetAndTheHostIsKept() throws Exception {
        RecordedRequest seen = forward("Host: api.test:8443\r\nX-Forwarded-For: 203.0.113.7\r\n");
        assertThat(seen.header("host")).isEqualTo("api.test:8443");
        assertThat(seen.header("x-forwarded-for")).isEqualTo("203.0.113.7, 127.0.0.1");
        assertThat(seen.header("x-forwarded-proto")).isEqualTo("http");
        assertThat(seen.header("x-forwarded-host")).isEqualTo("api.test:8443");
    }

    @Test
    void requestIdIsKeptAndEchoed() throws Exception {
        try (RawHttpConnection connection = new RawHttpConnection(gateway.port())) {
            connection.send("GET /echo HTTP/1.1\r\nHost: a\r\nX-Request-Id: abc-123\r\n\r\n");
            assertThat(connection.read().header("x-request-id")).isEqualTo("abc-123");
        }
        assertThat(upstream.lastRequest().orElseThrow().header("x-request-id")).isEqualTo("abc-123");
    }

    @Test
    void requestIdIsGeneratedWhenAbsentAndEchoed() throws Exception {
        String echoed;
        try (RawHttpConnection connection = new RawHttpConnection(gateway.port())) {
            connection.send("GET /echo HTTP/1.1\r\nHost: a\r\n\r\n");
            echoed = connection.read().header("x-request-id");
        }
        assertThat(echoed).isNotBlank();
        assertThat(upstream.lastRequest().orElseThrow().header("x-request-id")).isEqualTo(echoed);
    }

    @Test
    void hopByHopResponseHeadersAreRemoved() throws Exception {
        try (RawHttpConnection connection = new RawHttpConnection(gateway.port())) {
            connection.send("GET /?chunked=true&bytes=1000 HTTP/1.1\r\nHost: a\r\n\r\n");
            RawHttpConnection.Response response = connection.read();
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.body()).hasSize(1000);
            assertThat(response.headers()).doesNotContainKey("keep-alive");
        }
    }

    @Test
    void http10ClientGetsAClosedDelimitedOrSizedResponse() throws Exception {
        try (RawHttpConnection connection = new RawHttpConnection(gateway.port())) {
            connection.send("GET /?chunked=true&bytes=100 HTTP/1.0\r\n\r\n");
            RawHttpConnection.Response response = connection.read();
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.headers()).doesNotContainKey("transfer-encoding");
            assertThat(response.body()).hasSize(100);
        }
    }
}
