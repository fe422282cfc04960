package io.edgegateway.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.edgegateway.loadtest.upstream.MockUpstream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The gateway's error answers reach a client that writes its whole request before reading a byte
 * (contract, section 3): the response comes whole, then EOF, never a reset.
 */
class LingeringCloseTest {

    private static final int BODY_BYTES = 3 * 1024 * 1024;
    private static final String MALFORMED = "GET /ok HTTP/1.1\r\nHost : a\r\n\r\n";

    static MockUpstream upstream;
    static TestGateway gateway;

    @BeforeAll
    static void start() throws Exception {
        upstream = MockUpstream.builder().name("up").start();
        gateway = TestGateway.start("""
                limits { max-header-bytes = 16k, max-body-bytes = 1m }
                routes = [ %s ]
                """.formatted(TestGateway.route("ok", "/ok", upstream.port())));
    }

    @AfterAll
    static void stop() {
        gateway.close();
        upstream.close();
    }

    @Test
    void headersTooLargeThenABodyWrittenWholeGet431ThenEof() throws Exception {
        StringBuilder head = new StringBuilder("POST /ok HTTP/1.1\r\nHost: a\r\nContent-Length: " + BODY_BYTES + "\r\n");
        String pad = "a".repeat(1000);
        for (int i = 0; i < 40; i++) {
            head.append("X-Pad-").append(i).append(": ").append(pad).append("\r\n");
        }
        head.append("\r\n");
        try (RawHttpConnection connection = new RawHttpConnection(gateway.port())) {
            writeWhole(connection, head.toString(), body(BODY_BYTES));
            RawHttpConnection.Response response = connection.read();
            assertThat(response.status()).isEqualTo(431);
            assertThat(response.bodyText()).isEqualTo("{\"error\":\"headers_too_large\"}");
            assertThat(response.header("connection")).isEqualTo("close");
            assertThat(connection.input().read()).as("EOF, not a reset").isEqualTo(-1);
        }
    }

    @Test
    void aBodyOverTheLimitWrittenWholeGets413ThenEof() throws Exception {
        String head = "POST /ok HTTP/1.1\r\nHost: a\r\nContent-Length: " + BODY_BYTES + "\r\n\r\n";
        try (RawHttpConnection connection = new RawHttpConnection(gateway.port())) {
            writeWhole(connection, head, body(BODY_BYTES));
            RawHttpConnection.Response response = connection.read();
            assertThat(response.status()).isEqualTo(413);
            assertThat(response.bodyText()).isEqualTo("{\"error\":\"payload_too_large\"}");
            assertThat(connection.input().read()).as("EOF, not a reset").isEqualTo(-1);
        }
    }

    @Test
    void aChunkedBodyGrowingOverTheLimitWrittenWholeGets413ThenEof() throws Exception {
        String head = "POST /ok HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n";
        int chunk = 64 * 1024;
        byte[] chunkBytes = body(chunk);
        java.io.ByteArrayOutputStream chunked = new java.io.ByteArrayOutputStream();
        for (int sent = 0; sent < BODY_BYTES; sent += chunk) {
            chunked.write((Integer.toHexString(chunk) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            chunked.write(chunkBytes);
            chunked.write("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        chunked.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        try (RawHttpConnection connection = new RawHttpConnection(gateway.port())) {
            writeWhole(connection, head, chunked.toByteArray());
            RawHttpConnection.Response response = connection.read();
            assertThat(response.status()).isEqualTo(413);
            assertThat(connection.input().read()).as("EOF, not a reset").isEqualTo(-1);
        }
    }

    @Test
    void aMalformedRequestFollowedByGarbageGets400ThenEof() throws Exception {
        String head = "GET /ok HTTP/1.1\r\nHost: a\nX-A: b\r\n\r\n"; // a bare LF ends no line
        byte[] garbage = new byte[512 * 1024];
        Arrays.fill(garbage, (byte) '\n');
        try (RawHttpConnection connection = new RawHttpConnection(gateway.port())) {
            writeWhole(connection, head, garbage);
            RawHttpConnection.Response response = connection.read();
            assertThat(response.status()).isEqualTo(400);
            assertThat(connection.input().read()).as("EOF, not a reset").isEqualTo(-1);
        }
    }

    @Test
    void theGatewayClosesOnceTheClientDoes() throws Exception {
        awaitNoClientConnections(Duration.ofSeconds(30));
        try (RawHttpConnection connection = new RawHttpConnection(gateway.port())) {
            RawHttpConnection.Response response = connection.send(MALFORMED).read();
            assertThat(response.status()).isEqualTo(400);
            assertThat(connection.input().read()).isEqualTo(-1);
            assertThat(openClientConnections()).isEqualTo(1);
            connection.close();
            // Well before the five seconds of silence that would also end the lingering.
            awaitNoClientConnections(Duration.ofSeconds(3));
        }
    }

    @Test
    void aSilentClientIsClosedAfterTheLingeringTimeout() throws Exception {
        awaitNoClientConnections(Duration.ofSeconds(30));
        try (RawHttpConnection connection = new RawHttpConnection(gateway.port())) {
            RawHttpConnection.Response response = connection.send(MALFORMED).read();
            assertThat(response.status()).isEqualTo(400);
            assertThat(connection.input().read()).isEqualTo(-1);
            // The client neither sends nor closes: the gateway gives up on it by itself.
            awaitNoClientConnections(Duration.ofSeconds(30));
        }
    }

    /** Writes the head and then the body, all of it, before the caller reads anything. */
    private static void writeWhole(RawHttpConnection connection, String head, byte[] body) throws IOException {
        OutputStream out = connection.output();
        out.write(head.getBytes(StandardCharsets.ISO_8859_1));
        out.write(body);
        out.flush();
    }

    private static byte[] body(int size) {
        byte[] body = new byte[size];
        Arrays.fill(body, (byte) 'x');
        return body;
    }

    private static void awaitNoClientConnections(Duration atMost) {
        await().atMost(atMost).pollInterval(Duration.ofMillis(50)).until(() -> openClientConnections() == 0);
    }

    /** {@code gateway_open_connections}, which has no labels; the scrape's own admin connection is not a client's. */
    private static double openClientConnections() throws Exception {
        for (String line : MetricsScrape.of(gateway).toString().split("\n")) {
            if (line.startsWith("gateway_open_connections ")) {
                return Double.parseDouble(line.substring("gateway_open_connections ".length()).trim());
            }
        }
        throw new AssertionError("no gateway_open_connections in the scrape");
    }
}
