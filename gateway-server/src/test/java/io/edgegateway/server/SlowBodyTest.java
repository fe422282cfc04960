package io.edgegateway.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.edgegateway.loadtest.upstream.MockUpstream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Slow request bodies: small ones are read whole before an upstream connection is taken, a body
 * under the minimum rate is answered 408, and the response timeout waits for the body to be sent.
 */
class SlowBodyTest {

    private MockUpstream upstream;
    private TestGateway gateway;

    @AfterEach
    void stop() {
        gateway.close();
        upstream.close();
    }

    private void start(String settings) throws Exception {
        upstream = MockUpstream.builder().name("up").start();
        gateway = TestGateway.start(settings + "\nroutes = [" + TestGateway.route("up", "/up", upstream.port()) + "]");
    }

    @Test
    void clientsDribblingSmallBodiesHoldNoUpstreamConnectionAndAGetIsServedMeanwhile() throws Exception {
        start("upstream.max-connections = 2, limits.min-body-rate = off");
        List<RawHttpConnection> dribblers = new ArrayList<>();
        try {
            for (int i = 0; i < 6; i++) {
                RawHttpConnection dribbler = new RawHttpConnection(gateway.port());
                dribblers.add(dribbler);
                dribbler.send("POST /up/slow/" + i + " HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n"
                        + "Expect: 100-continue\r\n\r\n");
                // The 100 comes once the request is routed and its exchange started ...
                assertThat(readInterimHead(dribbler.input())).startsWith("HTTP/1.1 100");
                // ... and the body comes slowly: half of it now, the rest at the end.
                dribbler.send("12345");
            }

            assertThat(gateway.get("/up/meanwhile").statusCode()).isEqualTo(200);

            assertThat(upstream.connectionsAccepted()).as("the GET's connection only").isEqualTo(1);
            assertThat(upstream.recordedRequests()).hasSize(1);
            for (RawHttpConnection dribbler : dribblers) {
                dribbler.send("67890");
                RawHttpConnection.Response response = dribbler.read();
                assertThat(response.status()).isEqualTo(200);
                assertThat(response.header("x-received-bytes")).isEqualTo("10");
            }
        } finally {
            for (RawHttpConnection dribbler : dribblers) {
                dribbler.close();
            }
        }
    }

    @Test
    void aSmallBodyUnderTheMinimumRateIsAnswered408WithoutEverTakingAConnection() throws Exception {
        start("limits.min-body-rate { bytes = 1k, window = 200ms }");
        try (RawHttpConnection slow = new RawHttpConnection(gateway.port())) {
            slow.send("POST /up/small HTTP/1.1\r\nHost: a\r\nContent-Length: 2000\r\n\r\n" + "x".repeat(100));

            RawHttpConnection.Response response = slow.read();

            assertThat(response.status()).isEqualTo(408);
            assertThat(response.bodyText()).isEqualTo("{\"error\":\"request_timeout\"}");
            assertThat(slow.readUntilClosedByServer()).isTrue();
        }
        assertThat(metric("gateway_client_timeouts_total\\{reason=\"body_rate\",?\\}")).isEqualTo(1);
        assertThat(upstream.connectionsAccepted()).isZero();
    }

    @Test
    void aLargeBodyUnderTheMinimumRateIsAnswered408AndItsUpstreamConnectionClosed() throws Exception {
        start("limits.min-body-rate { bytes = 1k, window = 200ms }");
        try (RawHttpConnection slow = new RawHttpConnection(gateway.port())) {
            slow.send("POST /up/large HTTP/1.1\r\nHost: a\r\nContent-Length: 1000000\r\n\r\n" + "x".repeat(100));

            RawHttpConnection.Response response = slow.read();

            assertThat(response.status()).isEqualTo(408);
            assertThat(slow.readUntilClosedByServer()).isTrue();
        }
        assertThat(metric("gateway_client_timeouts_total\\{reason=\"body_rate\",?\\}")).isEqualTo(1);
        assertThat(metric("gateway_requests_total\\{route=\"up\",method=\"POST\",code=\"408\",?\\}")).isEqualTo(1);
        // The large body streamed: its upstream got the head, and lost the connection mid-request.
        assertThat(upstream.connectionsAccepted()).isEqualTo(1);
        await().atMost(Duration.ofSeconds(10)).until(() -> upstream.connectionsOpen() == 0);
        assertThat(upstream.requestsServed()).isZero();
    }

    @Test
    void anHonestUploadThatTakesLongerThanTheResponseTimeoutGetsItsAnswer() throws Exception {
        upstream = MockUpstream.builder().name("up").start();
        gateway = TestGateway.start("routes = [{ id = up, match { path-prefix = \"/up\" }, timeouts { response = 300ms },"
                + " upstreams = [\"http://127.0.0.1:" + upstream.port() + "\"] }]");
        try (RawHttpConnection upload = new RawHttpConnection(gateway.port())) {
            upload.send("POST /up/upload HTTP/1.1\r\nHost: a\r\nContent-Length: 200000\r\n\r\n" + "x".repeat(100_000));
            // A body this large streams: its head is upstream once the upstream has the connection.
            await().atMost(Duration.ofSeconds(10)).until(() -> upstream.connectionsAccepted() == 1);

            // A request sent after it times out: more than the response timeout has passed since the
            // upload's head went upstream.
            HttpResponse<String> late = gateway.get("/up/late?delay=20s");
            assertThat(late.statusCode()).isEqualTo(504);
            upload.send("y".repeat(100_000));

            RawHttpConnection.Response response = upload.read();
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.header("x-received-bytes")).isEqualTo("200000");
        }
    }

    @Test
    void chunkedBodiesAreBufferedUntilTheyOutgrowTheBoundThenStream() throws Exception {
        start("limits.buffer-body-below = 1k");
        try (RawHttpConnection client = new RawHttpConnection(gateway.port())) {
            client.send("POST /up/small HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "190\r\n" + "a".repeat(400) + "\r\n190\r\n" + "b".repeat(400) + "\r\n0\r\n\r\n");
            RawHttpConnection.Response small = client.read();
            assertThat(small.status()).isEqualTo(200);
            assertThat(small.header("x-received-bytes")).isEqualTo("800");

            client.send("POST /up/large HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + ("320\r\n" + "c".repeat(800) + "\r\n").repeat(3) + "0\r\n\r\n");
            RawHttpConnection.Response large = client.read();
            assertThat(large.status()).isEqualTo(200);
            assertThat(large.header("x-received-bytes")).isEqualTo("2400");
        }
    }

    @Test
    void http2StreamBodiesAreBufferedOrStreamedLikeHttp1Ones() throws Exception {
        start("limits.buffer-body-below = 1k");
        for (int size : new int[] {500, 5000}) {
            // With a content-length, and without one (the stream's end ends the body).
            for (String header : new String[] {"X-Declared: yes", "Content-Length:"}) {
                ExternalCommand curl = ExternalCommand.run("curl", "-sS", "--http2-prior-knowledge", "-o", "/dev/null",
                        "-w", "%{http_code} %{http_version}", "-H", header, "--data-binary", "x".repeat(size),
                        "http://127.0.0.1:" + gateway.port() + "/up/h2");
                assertThat(curl.output()).as(size + " bytes, " + header).isEqualTo("200 2");
                assertThat(upstream.lastRequest().orElseThrow().bodyBytes()).isEqualTo(size);
            }
        }
    }

    @Test
    void buffersAreReleasedWhenTheClientLeavesOrTheBodyIsTooLarge() throws Exception {
        start("limits { max-body-bytes = 1k, buffer-body-below = 64k }");
        try (RawHttpConnection leaving = new RawHttpConnection(gateway.port())) {
            leaving.send("POST /up/leaving HTTP/1.1\r\nHost: a\r\nContent-Length: 1000\r\n\r\n" + "x".repeat(10));
        }
        try (RawHttpConnection tooLarge = new RawHttpConnection(gateway.port())) {
            tooLarge.send("POST /up/chunked HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + ("320\r\n" + "c".repeat(800) + "\r\n").repeat(2));
            assertThat(tooLarge.read().status()).isEqualTo(413);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> metric("gateway_open_connections") == 0);
        assertThat(upstream.connectionsAccepted()).isZero();
    }

    /** The head of a 1xx response, up to its blank line. */
    private static String readInterimHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed before a 1xx head: " + head);
            }
            head.write(b);
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    private double metric(String pattern) throws Exception {
        Matcher matcher = Pattern.compile("(?m)^" + pattern + " (\\S+)$").matcher(gateway.admin("/metrics").body());
        return matcher.find() ? Double.parseDouble(matcher.group(1)) : 0;
    }
}
