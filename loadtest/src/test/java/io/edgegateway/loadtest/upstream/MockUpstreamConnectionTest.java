package io.edgegateway.loadtest.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Framing and connection handling, seen on a raw socket. */
class MockUpstreamConnectionTest {

    private final MockUpstream upstream = MockUpstream.start(0, LatencyShape.none());

    @AfterEach
    void closeUpstream() {
        upstream.close();
    }

    private RawHttpConnection connect() throws IOException {
        return new RawHttpConnection(upstream.port());
    }

    private static String get(String pathAndQuery, String... headers) {
        return "GET " + pathAndQuery + " HTTP/1.1\r\nHost: upstream\r\n" + String.join("", headers) + "\r\n";
    }

    @Test
    void connectionCloseIsHonoured() throws IOException {
        try (RawHttpConnection connection = connect()) {
            RawHttpConnection.Response response = connection.send(get("/", "Connection: close\r\n")).readResponse();
            assertEquals("ok\n", response.text());
            assertEquals("close", response.headers().get("connection"));
            assertTrue(connection.closedByServer());
        }
    }

    @Test
    void closeParameterClosesAfterTheAnswer() throws IOException {
        try (RawHttpConnection connection = connect()) {
            RawHttpConnection.Response response = connection.send(get("/?close=true")).readResponse();
            assertEquals(200, response.status());
            assertEquals("close", response.headers().get("connection"));
            assertTrue(connection.closedByServer());
        }
    }

    @Test
    void http10KeepsAliveOnlyWhenAsked() throws IOException {
        try (RawHttpConnection connection = connect()) {
            connection.send("GET /one HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
            assertEquals("keep-alive", connection.readResponse().headers().get("connection"));
            connection.send("GET /two HTTP/1.0\r\n\r\n");
            assertEquals("ok\n", connection.readResponse().text());
            assertTrue(connection.closedByServer());
        }
        assertEquals(1, upstream.connectionsAccepted());
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrder() throws IOException {
        try (RawHttpConnection connection = connect()) {
            connection.send(get("/?status=201&delay=50ms") + get("/?status=202") + get("/?status=203&bytes=100000"));
            assertEquals(201, connection.readResponse().status());
            assertEquals(202, connection.readResponse().status());
            RawHttpConnection.Response third = connection.readResponse();
            assertEquals(203, third.status());
            assertEquals(100_000, third.body().length);
        }
        assertEquals(3, upstream.requestsServed());
    }

    @Test
    void chunkedParameterSendsTransferEncodingChunked() throws IOException {
        try (RawHttpConnection connection = connect()) {
            RawHttpConnection.Response small = connection.send(get("/?chunked=true")).readResponse();
            assertEquals("chunked", small.headers().get("transfer-encoding"));
            assertNull(small.headers().get("content-length"));
            assertEquals("ok\n", small.text());

            RawHttpConnection.Response large = connection.send(get("/?chunked=true&bytes=300000")).readResponse();
            assertEquals("chunked", large.headers().get("transfer-encoding"));
            assertEquals(300_000, large.body().length);
            assertEquals('a' + 299_999 % 26, large.body()[299_999]);
        }
    }

    @Test
    void resetAfterSendsLessThanItAnnouncedThenResets() throws IOException {
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        boolean reset = false;
        try (Socket socket = new Socket("127.0.0.1", upstream.port())) {
            socket.setSoTimeout(30_000);
            socket.getOutputStream().write(get("/?reset-after=5000").getBytes(StandardCharsets.ISO_8859_1));
            socket.getInputStream().transferTo(received);
        } catch (SocketException expected) {
            reset = true; // "Connection reset": the server closed with SO_LINGER 0
        }
        String text = received.toString(StandardCharsets.ISO_8859_1);
        int headEnd = text.indexOf("\r\n\r\n");
        assertTrue(headEnd > 0, "the head arrives before the reset: " + text);
        assertTrue(text.contains("content-length: 70536"), text.substring(0, headEnd));
        long bodyBytes = received.size() - headEnd - 4;
        assertTrue(bodyBytes <= 5000, "body bytes " + bodyBytes);
        assertTrue(reset || bodyBytes == 5000, "either the read fails or it ends early at the 5000 bytes sent");
    }

    @Test
    void malformedRequestsGet400AndAClosedConnection() throws IOException {
        try (RawHttpConnection connection = connect()) {
            RawHttpConnection.Response response = connection.send("NOT A REQUEST\r\n\r\n").readResponse();
            assertEquals(400, response.status());
            assertTrue(response.text().contains("malformed request"), response.text());
            assertTrue(connection.closedByServer());
        }
    }

    @Test
    void expectContinueIsAnsweredBeforeTheBodyIsSent() throws IOException {
        try (RawHttpConnection connection = connect()) {
            connection.send("POST /up HTTP/1.1\r\nHost: u\r\nContent-Length: 4\r\nExpect: 100-continue\r\n\r\n");
            assertEquals(100, connection.readResponse().status());
            RawHttpConnection.Response response = connection.send("abcd").readResponse();
            assertEquals("{\"received\":4}\n", response.text());
        }
    }

    @Test
    void largeRequestHeadersAreAccepted() throws IOException {
        try (RawHttpConnection connection = connect()) {
            String big = "X-Big: " + "v".repeat(32 * 1024) + "\r\n";
            assertEquals(200, connection.send(get("/", big)).readResponse().status());
        }
        assertEquals(32 * 1024, upstream.lastRequest().orElseThrow().header("x-big").length());
    }

    @Test
    void headAnswersWithTheLengthButNoBody() throws IOException {
        try (RawHttpConnection connection = connect()) {
            connection.send("HEAD /?bytes=1000 HTTP/1.1\r\nHost: u\r\n\r\n");
            assertEquals("1000", connection.readResponseToHeadRequest().headers().get("content-length"));
            assertEquals("ok\n", connection.send(get("/")).readResponse().text(), "no body bytes were left over");
        }
    }
}
