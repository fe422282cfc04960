package io.edgegateway.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgegateway.loadtest.upstream.MockUpstream;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ConnectionReuseTest {

    private MockUpstream a;
    private MockUpstream b;
    private TestGateway gateway;

    @AfterEach
    void stop() {
        gateway.close();
        a.close();
        if (b != null) {
            b.close();
        }
    }

    @Test
    void sequentialRequestsShareOneUpstreamConnection() throws Exception {
        a = MockUpstream.builder().name("a").start();
        gateway = TestGateway.start("routes = [" + TestGateway.route("all", "/", a.port()) + "]");
        try (RawHttpConnection connection = new RawHttpConnection(gateway.port())) {
            for (int i = 0; i < 50; i++) {
                connection.send("GET /n/" + i + " HTTP/1.1\r\nHost: a\r\n\r\n");
                assertThat(connection.read().status()).isEqualTo(200);
            }
        }
        assertThat(a.requestsServed()).isEqualTo(50);
        assertThat(a.connectionsAccepted()).isEqualTo(1);
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrder() throws Exception {
        a = MockUpstream.builder().name("a").latency("lognormal:2ms:0.8").start();
        gateway = TestGateway.start("routes = [" + TestGateway.route("echo", "/echo", a.port()) + "]");
        StringBuilder pipeline = new StringBuilder();
        for (int i = 0; i < 20; i++) {
            pipeline.append("GET /echo?i=").append(i).append(" HTTP/1.1\r\nHost: a\r\n\r\n");
        }
        pipeline.append("GET /unrouted HTTP/1.1\r\nHost: a\r\n\r\n");
        pipeline.append("GET /echo?i=21 HTTP/1.1\r\nHost: a\r\n\r\n");
        try (RawHttpConnection connection = new RawHttpConnection(gateway.port())) {
            connection.send(pipeline.toString());
            for (int i = 0; i < 20; i++) {
                RawHttpConnection.Response response = connection.read();
                assertThat(response.status()).isEqualTo(200);
                assertThat(response.bodyText()).contains("i=" + i + "\"");
            }
            assertThat(connection.read().status()).isEqualTo(404);
            assertThat(connection.read().bodyText()).contains("i=21\"");
        }
    }

    @Test
    void roundRobinAlternatesBetweenInstances() throws Exception {
        a = MockUpstream.builder().name("a").start();
        b = MockUpstream.builder().name("b").start();
        gateway = TestGateway.start("routes = [" + TestGateway.route("all", "/", a.port(), b.port()) + "]");
        Map<String, Integer> answered = new HashMap<>();
        for (int i = 0; i < 20; i++) {
            answered.merge(gateway.get("/").headers().firstValue("x-upstream").orElseThrow(), 1, Integer::sum);
        }
        assertThat(answered).containsEntry("a", 10).containsEntry("b", 10);
    }

    @Test
    void leastRequestSpreadsAcrossInstances() throws Exception {
        a = MockUpstream.builder().name("a").start();
        b = MockUpstream.builder().name("b").start();
        gateway = TestGateway.start("routes = [{ id = all, match { path-prefix = \"/\" }, "
                + "load-balancing = least-request, upstreams = [\"http://127.0.0.1:" + a.port()
                + "\", \"http://127.0.0.1:" + b.port() + "\"] }]");
        for (int i = 0; i < 20; i++) {
            assertThat(gateway.get("/").statusCode()).isEqualTo(200);
        }
        assertThat(a.requestsServed() + b.requestsServed()).isEqualTo(20);
    }

    @Test
    void anUpstreamRestartDoesNotFailTheNextRequest() throws Exception {
        a = MockUpstream.builder().name("a").start();
        gateway = TestGateway.start("routes = [" + TestGateway.route("all", "/", a.port()) + "]");
        try (RawHttpConnection connection = new RawHttpConnection(gateway.port())) {
            connection.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
            assertThat(connection.read().status()).isEqualTo(200);
            // The upstream restarts on the same port: the pooled connection is now dead.
            int port = a.port();
            a.close();
            a = MockUpstream.builder().name("a2").port(port).start();
            connection.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
            RawHttpConnection.Response response = connection.read();
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.header("x-upstream")).isEqualTo("a2");
        }
    }
}
