package io.edgegateway.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgegateway.loadtest.upstream.MockUpstream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The answer of a gateway whose event loop is behind, byte for byte on a real socket: the contract's
 * 503 {@code overloaded} with {@code Retry-After: 1}, the connection kept unless the request said
 * close or its body cannot be skipped cheaply, pipelined requests answered in order, a HEAD's answer
 * without a body, and every refusal counted while nothing reaches the upstream.
 */
class OverloadRefusalTest {

    private static final String BODY = "{\"error\":\"overloaded\"}";
    private static final String HEAD = "HTTP/1.1 503 Service Unavailable\r\n"
            + "content-type: application/json\r\n"
            + "content-length: 22\r\n"
            + "retry-after: 1\r\n";
    private static final String KEPT = HEAD + "\r\n" + BODY;
    private static final String CLOSED = HEAD + "connection: close\r\n\r\n" + BODY;

    private MockUpstream upstream;
    private GatewayServer server;

    @BeforeEach
    void start() throws Exception {
        upstream = MockUpstream.builder().start();
        server = GatewayServer.startRefusingAll(TestGateway.config("routes = ["
                + TestGateway.route("r", "/", upstream.port()) + "]"), 1);
    }

    @AfterEach
    void stop() {
        server.close();
        upstream.close();
    }

    @Test
    void answersTheContractsOverloadedAndKeepsTheConnection() throws Exception {
        try (Socket socket = connect()) {
            send(socket, "GET /a HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(readExactly(socket, KEPT.length())).isEqualTo(KEPT);
            send(socket, "GET /b HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(readExactly(socket, KEPT.length())).isEqualTo(KEPT);
            assertOpen(socket);
        }
        assertThat(overloadRefusals()).isEqualTo(3);
        assertThat(refused503s()).isEqualTo(3);
        assertThat(upstream.requestsServed()).isZero();
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrderAndConnectionCloseIsHonoured() throws Exception {
        try (Socket socket = connect()) {
            send(socket, "GET /1 HTTP/1.1\r\nHost: x\r\nX-Request-Id: one\r\n\r\n"
                    + "GET /2 HTTP/1.1\r\nHost: x\r\n\r\n"
                    + "GET /3 HTTP/1.1\r\nHost: x\r\nX-Request-Id: three\r\nConnection: close\r\n\r\n"
                    + "GET /4 HTTP/1.1\r\nHost: x\r\n\r\n");
            String first = HEAD + "x-request-id: one\r\n\r\n" + BODY;
            String third = HEAD + "x-request-id: three\r\nconnection: close\r\n\r\n" + BODY;
            assertThat(readToEnd(socket)).isEqualTo(first + KEPT + third);
        }
        assertThat(overloadRefusals()).isEqualTo(3);
        assertThat(upstream.requestsServed()).isZero();
    }

    @Test
    void aBodyOfKnownLengthIsSkippedAndTheNextRequestAnswered() throws Exception {
        // The body looks like a request: were it read as one, a third answer would come.
        String body = "GET /smuggled HTTP/1.1\r\nHost: x\r\n\r\n";
        try (Socket socket = connect()) {
            send(socket, "POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: " + body.length() + "\r\n\r\n" + body
                    + "GET /b HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(readExactly(socket, 2 * KEPT.length())).isEqualTo(KEPT + KEPT);
            assertOpen(socket);
        }
        assertThat(overloadRefusals()).isEqualTo(3);
    }

    @Test
    void aChunkedBodyOneAwaitingContinueOrALargeOneClosesTheConnection() throws Exception {
        try (Socket socket = connect()) {
            send(socket, "POST /a HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n");
            assertThat(readToEnd(socket)).isEqualTo(CLOSED);
        }
        try (Socket socket = connect()) {
            send(socket, "PUT /a HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n");
            assertThat(readToEnd(socket)).isEqualTo(CLOSED);
        }
        try (Socket socket = connect()) {
            // Over 64 KiB: not worth reading for a loop that is behind.
            send(socket, "POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: 65537\r\n\r\n" + "a".repeat(1000));
            assertThat(readToEnd(socket)).isEqualTo(CLOSED);
        }
        assertThat(overloadRefusals()).isEqualTo(3);
    }

    @Test
    void aHeadIsAnsweredWithoutABodyAndTheConnectionStaysInStep() throws Exception {
        try (Socket socket = connect()) {
            send(socket, "HEAD /a HTTP/1.1\r\nHost: x\r\n\r\nGET /b HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(readExactly(socket, HEAD.length() + 2 + KEPT.length())).isEqualTo(HEAD + "\r\n" + KEPT);
            assertOpen(socket);
        }
    }

    @Test
    void http10WithoutKeepAliveIsClosed() throws Exception {
        try (Socket socket = connect()) {
            send(socket, "GET /a HTTP/1.0\r\n\r\n");
            assertThat(readToEnd(socket)).isEqualTo(CLOSED);
        }
    }

    @Test
    void anHttp2StreamIsRefusedAndTheConnectionServesTheNextStream() throws Exception {
        try (H2cTestClient client = new H2cTestClient(server.port())) {
            for (int i = 0; i < 2; i++) {
                H2cTestClient.Stream stream = client.get("/h2/" + i);
                assertThat(stream.status.get(10, TimeUnit.SECONDS)).isEqualTo("503");
                assertThat(stream.ended.get(10, TimeUnit.SECONDS)).isEqualTo(BODY.length());
            }
        }
        assertThat(overloadRefusals()).isEqualTo(2);
        assertThat(upstream.requestsServed()).isZero();
    }

    @Test
    void theHttpClientSeesTheSameAnswer() throws Exception {
        HttpResponse<String> response = TestGateway.client().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + server.port() + "/x")).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.body()).isEqualTo(BODY);
        assertThat(response.headers().firstValue("retry-after")).hasValue("1");
        assertThat(response.headers().firstValue("content-type")).hasValue("application/json");
    }

    private Socket connect() throws IOException {
        Socket socket = new Socket("127.0.0.1", server.port());
        socket.setSoTimeout(10_000);
        return socket;
    }

    private static void send(Socket socket, String bytes) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(bytes.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    private static String readExactly(Socket socket, int length) throws IOException {
        byte[] bytes = socket.getInputStream().readNBytes(length);
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }

    /** Everything until the gateway closes the connection. */
    private static String readToEnd(Socket socket) throws IOException {
        return new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
    }

    /**
     * The connection is still open and in step: one more request, its id echoed and asking to close,
     * gets exactly its own answer and nothing else comes before the close.
     */
    private static void assertOpen(Socket socket) throws IOException {
        send(socket, "GET /last HTTP/1.1\r\nHost: x\r\nX-Request-Id: last\r\nConnection: close\r\n\r\n");
        assertThat(readToEnd(socket)).isEqualTo(HEAD + "x-request-id: last\r\nconnection: close\r\n\r\n" + BODY);
    }

    private double overloadRefusals() throws Exception {
        return metric("(?m)^gateway_shed_requests_total\\{route=\"none\",reason=\"gateway_overload\",?\\} (\\S+)$");
    }

    private double refused503s() throws Exception {
        return metric("(?m)^gateway_requests_total\\{route=\"none\",method=\"GET\",code=\"503\",?\\} (\\S+)$");
    }

    private double metric(String pattern) throws Exception {
        String metrics = TestGateway.client().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + server.adminPort() + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        Matcher m = Pattern.compile(pattern).matcher(metrics);
        assertThat(m.find()).as(metrics).isTrue();
        return Double.parseDouble(m.group(1));
    }
}
