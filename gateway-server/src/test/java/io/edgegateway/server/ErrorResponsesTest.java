package io.edgegateway.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgegateway.loadtest.upstream.MockUpstream;
import io.edgegateway.testkit.RefusingPort;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ErrorResponsesTest {

    static MockUpstream upstream;
    static MockUpstream slow;
    static ServerSocket garbage;
    static RefusingPort refusing;
    static TestGateway gateway;

    @BeforeAll
    static void start() throws Exception {
        upstream = MockUpstream.builder().name("up").start();
        slow = MockUpstream.builder().name("slow").latency("fixed:5s").start();
        garbage = new ServerSocket(0);
        Thread garbageServer = new Thread(ErrorResponsesTest::answerGarbage, "garbage-upstream");
        garbageServer.setDaemon(true);
        garbageServer.start();
        refusing = new RefusingPort();
        gateway = TestGateway.start("""
                limits { max-header-bytes = 4k, max-body-bytes = 1k }
                routes = [
                  { id = ok, match { path-prefix = "/ok" }, upstreams = ["http://127.0.0.1:%d"] }
                  { id = refused, match { path-prefix = "/refused" }, upstreams = ["http://127.0.0.1:%d"] }
                  { id = garbage, match { path-prefix = "/garbage" }, upstreams = ["http://127.0.0.1:%d"] }
                  { id = slow, match { path-prefix = "/slow" }, upstreams = ["http://127.0.0.1:%d"],
                    timeouts { response = 200ms } }
                ]
                """.formatted(upstream.port(), refusing.port(), garbage.getLocalPort(), slow.port()));
    }

    /** An upstream that answers every connection with bytes that are not HTTP. */
    private static void answerGarbage() {
        while (!garbage.isClosed()) {
            try (Socket socket = garbage.accept()) {
                socket.getInputStream().read(new byte[4096]);
                socket.getOutputStream().write("SMTP ready\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                socket.getOutputStream().flush();
            } catch (IOException e) {
                // closed at the end of the class, or the gateway hung up first
            }
        }
    }

    @AfterAll
    static void stop() throws IOException {
        gateway.close();
        upstream.close();
        slow.close();
        garbage.close();
        refusing.close();
    }

    private static RawHttpConnection.Response exchange(String raw) throws Exception {
        try (RawHttpConnection connection = new RawHttpConnection(gateway.port())) {
            return connection.send(raw).read();
        }
    }

    @Test
    void refusedUpstreamIs502() throws Exception {
        RawHttpConnection.Response response = exchange("GET /refused HTTP/1.1\r\nHost: a\r\n\r\n");
        assertThat(response.status()).isEqualTo(502);
        assertThat(response.bodyText()).isEqualTo("{\"error\":\"bad_gateway\"}");
    }

    @Test
    void invalidUpstreamResponseIs502() throws Exception {
        assertThat(exchange("GET /garbage HTTP/1.1\r\nHost: a\r\n\r\n").status()).isEqualTo(502);
    }

    @Test
    void slowUpstreamIs504() throws Exception {
        RawHttpConnection.Response response = exchange("GET /slow HTTP/1.1\r\nHost: a\r\n\r\n");
        assertThat(response.status()).isEqualTo(504);
        assertThat(response.bodyText()).isEqualTo("{\"error\":\"gateway_timeout\"}");
    }

    @Test
    void declaredBodyOverTheLimitIs413() throws Exception {
        RawHttpConnection.Response response = exchange(
                "POST /ok HTTP/1.1\r\nHost: a\r\nContent-Length: 2000\r\n\r\n" + "x".repeat(2000));
        assertThat(response.status()).isEqualTo(413);
    }

    @Test
    void chunkedBodyOverTheLimitIs413() throws Exception {
        String chunk = Integer.toHexString(600) + "\r\n" + "x".repeat(600) + "\r\n";
        RawHttpConnection.Response response = exchange(
                "POST /ok HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n" + chunk + chunk + "0\r\n\r\n");
        assertThat(response.status()).isEqualTo(413);
    }

    @Test
    void bodyWithinTheLimitIsForwarded() throws Exception {
        RawHttpConnection.Response response = exchange(
                "POST /ok HTTP/1.1\r\nHost: a\r\nContent-Length: 1000\r\n\r\n" + "x".repeat(1000));
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("x-received-bytes")).isEqualTo("1000");
    }

    @Test
    void headersOverTheLimitAre431() throws Exception {
        RawHttpConnection.Response response = exchange(
                "GET /ok HTTP/1.1\r\nHost: a\r\nX-Big: " + "y".repeat(5000) + "\r\n\r\n");
        assertThat(response.status()).isEqualTo(431);
    }

    @Test
    void malformedRequestIs400() throws Exception {
        assertThat(exchange("THIS IS NOT HTTP\r\n\r\n").status()).isEqualTo(400);
        assertThat(exchange("GET /ok HTTP/1.1\r\n\r\n").status()).as("HTTP/1.1 without Host").isEqualTo(400);
        assertThat(exchange("GET /ok/../../admin HTTP/1.1\r\nHost: a\r\n\r\n").status()).as("above the root")
                .isEqualTo(400);
    }

    @Test
    void contentLengthBesideTransferEncodingIs400() throws Exception {
        RawHttpConnection.Response response = exchange("POST /ok HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n"
                + "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\nGET /ok HTTP/1.1\r\nHost: a\r\n\r\n");
        assertThat(response.status()).isEqualTo(400);
    }

    @Test
    void contentLengthThatIsNoNumberIs400() throws Exception {
        RawHttpConnection.Response response = exchange("POST /ok HTTP/1.1\r\nHost: a\r\nContent-Length: x\r\n\r\nabc");
        assertThat(response.status()).isEqualTo(400);
    }

    @Test
    void differingDuplicateContentLengthIs400() throws Exception {
        RawHttpConnection.Response response = exchange(
                "POST /ok HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nContent-Length: 5\r\n\r\nabcde");
        assertThat(response.status()).isEqualTo(400);
    }

    @Test
    void unknownTransferCodingIs400() throws Exception {
        RawHttpConnection.Response response = exchange(
                "POST /ok HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip\r\n\r\n");
        assertThat(response.status()).isEqualTo(400);
    }

    @Test
    void smuggledRequestNeverReachesTheUpstream() throws Exception {
        upstream.clearRecordedRequests();
        exchange("POST /ok HTTP/1.1\r\nHost: a\r\nContent-Length: 40\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "0\r\n\r\nGET /ok/smuggled HTTP/1.1\r\nHost: a\r\n\r\n");
        assertThat(upstream.recordedRequests()).noneMatch(r -> r.uri().contains("smuggled"));
    }
}
