package io.edgegateway.server;

import static io.edgegateway.server.RawH2Connection.END_STREAM;
import static io.edgegateway.server.RawH2Connection.HEADERS;
import static io.edgegateway.server.RawH2Connection.RST_STREAM;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.edgegateway.loadtest.upstream.MockUpstream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Requests whose HEADERS Netty's HTTP/1.1 bridge cannot convert, or that RFC 9113 §8 calls
 * malformed: each gets its own clean answer on its stream (400, or RST_STREAM PROTOCOL_ERROR where
 * the header block itself is refused), leaks no buffer, and the connection and its other streams go
 * on. The leak detector runs at PARANOID and fails the class on any leak.
 */
class Http2MalformedRequestTest {

    private static MockUpstream upstream;
    private static TestGateway gateway;

    @BeforeAll
    static void start() throws Exception {
        upstream = MockUpstream.builder().name("malformed-upstream").start();
        gateway = TestGateway.start("routes = [ " + TestGateway.route("all", "/", upstream.port()) + " ]");
    }

    @AfterAll
    static void stop() {
        gateway.close();
        upstream.close();
    }

    /** Sends {@code bad} on stream 1, then a good GET on stream 3; returns what stream 1 got. */
    private static List<RawH2Connection.Frame> answerTo(byte[] bad) throws Exception {
        long served = upstream.requestsServed();
        try (RawH2Connection client = RawH2Connection.open(gateway.port())) {
            client.write(bad);
            client.write(RawH2Connection.get(3, "/after", true));

            await().atMost(Duration.ofSeconds(20)).until(() -> ended(client, 1) && ended(client, 3));
            assertThat(status(client, 3)).as("the next stream is served").contains("200");
            assertThat(client.goAway()).as("the connection goes on").isNotDone();
            assertThat(upstream.requestsServed()).as("only the good request reached the upstream").isEqualTo(served + 1);
            return client.onStream(1);
        }
    }

    private static boolean ended(RawH2Connection client, int stream) {
        return client.onStream(stream).stream()
                .anyMatch(f -> f.type() == RST_STREAM || (f.flags() & END_STREAM) != 0);
    }

    private static Optional<String> status(RawH2Connection client, int stream) {
        return client.onStream(stream).stream().filter(f -> f.type() == HEADERS && f.headers().status() != null)
                .map(f -> f.headers().status().toString()).findFirst();
    }

    private static void assertBadRequest(List<RawH2Connection.Frame> frames) {
        assertThat(frames).first().satisfies(f -> {
            assertThat(f.type()).isEqualTo(HEADERS);
            assertThat(f.headers().status().toString()).isEqualTo("400");
        });
        String body = frames.stream().filter(f -> f.type() == RawH2Connection.DATA)
                .map(f -> new String(f.payload(), StandardCharsets.US_ASCII)).reduce("", String::concat);
        assertThat(body).isEqualTo("{\"error\":\"bad_request\"}");
    }

    private static void assertReset(List<RawH2Connection.Frame> frames, long code) {
        assertThat(frames).anySatisfy(f -> {
            assertThat(f.type()).isEqualTo(RST_STREAM);
            assertThat(f.errorCode()).isEqualTo(code);
        });
        assertThat(frames).noneMatch(f -> f.type() == HEADERS);
    }

    private static byte[] request(boolean endStream, String method, String path) {
        return RawH2Connection.headers(1, endStream, ":method", method, ":scheme", "http", ":path", path,
                ":authority", "localhost");
    }

    @Test
    void aPathWithASpaceEndingWithItsHeadersIsA400() throws Exception {
        assertBadRequest(answerTo(request(true, "GET", "/a b")));
    }

    @Test
    void aPathWithASpaceAndABodyIsA400AndTheBodyIsDropped() throws Exception {
        List<RawH2Connection.Frame> frames = answerTo(RawH2Connection.concat(
                request(false, "POST", "/a b"),
                RawH2Connection.data(1, "some body".getBytes(StandardCharsets.US_ASCII), false),
                RawH2Connection.data(1, "the rest".getBytes(StandardCharsets.US_ASCII), true)));
        assertBadRequest(frames);
    }

    @Test
    void aPathWithATabIsA400() throws Exception {
        assertBadRequest(answerTo(request(true, "GET", "/a\tb")));
        assertBadRequest(answerTo(request(false, "GET", "/a\tb")));
    }

    @Test
    void aPathThatIsNotAnAbsolutePathIsA400() throws Exception {
        assertBadRequest(answerTo(request(true, "GET", "http://elsewhere.example/")));
        assertBadRequest(answerTo(request(true, "GET", "*")));
        assertBadRequest(answerTo(request(true, "GET", "a/b")));
    }

    @Test
    void anInvalidMethodIsA400() throws Exception {
        assertBadRequest(answerTo(request(true, "GE T", "/")));
        assertBadRequest(answerTo(request(false, "G(E)T", "/")));
    }

    @Test
    void aMissingPseudoHeaderIsA400() throws Exception {
        assertBadRequest(answerTo(RawH2Connection.headers(1, true, ":scheme", "http", ":path", "/", ":authority", "x")));
        assertBadRequest(answerTo(RawH2Connection.headers(1, true, ":method", "GET", ":scheme", "http", ":authority", "x")));
        assertBadRequest(answerTo(RawH2Connection.headers(1, true, ":method", "GET", ":path", "/", ":authority", "x")));
        assertBadRequest(answerTo(RawH2Connection.headers(1, false, "accept", "*/*")));
        assertBadRequest(answerTo(RawH2Connection.headers(1, true, ":method", "CONNECT")));
    }

    @Test
    void anAuthorityWithASpaceIsA400() throws Exception {
        assertBadRequest(answerTo(RawH2Connection.headers(1, true, ":method", "GET", ":scheme", "http", ":path", "/",
                ":authority", "local host")));
    }

    @Test
    void controlCharactersInAFieldValueResetTheStreamWithProtocolError() throws Exception {
        for (String path : new String[] {"/a\u0000b", "/a\rb", "/a\u007fb", " /a", ""}) {
            assertReset(answerTo(request(true, "GET", path)), RawH2Connection.PROTOCOL_ERROR);
        }
        assertReset(answerTo(request(true, "", "/")), RawH2Connection.PROTOCOL_ERROR);
        assertReset(answerTo(RawH2Connection.headers(1, true, ":method", "GET", ":scheme", "http", ":path", "/",
                ":authority", "localhost", "x-note", "a\u0001b")), RawH2Connection.PROTOCOL_ERROR);
    }

    @Test
    void connectionSpecificFieldsResetTheStreamWithProtocolError() throws Exception {
        for (String[] field : new String[][] {{"connection", "keep-alive"}, {"te", "gzip"}, {"transfer-encoding", "chunked"},
                {"keep-alive", "timeout=5"}, {"upgrade", "h2c"}}) {
            assertReset(answerTo(RawH2Connection.headers(1, true, ":method", "GET", ":scheme", "http", ":path", "/",
                    ":authority", "localhost", field[0], field[1])), RawH2Connection.PROTOCOL_ERROR);
        }
    }

    @Test
    void aMalformedHeaderBlockResetsTheStreamWithProtocolError() throws Exception {
        // A pseudo-header field after a regular one, an upper-case name, a response pseudo-header in a request.
        assertReset(answerTo(RawH2Connection.headers(1, true, ":method", "GET", ":scheme", "http", "accept", "*/*",
                ":path", "/")), RawH2Connection.PROTOCOL_ERROR);
        assertReset(answerTo(RawH2Connection.headers(1, true, ":method", "GET", ":scheme", "http", ":path", "/",
                "X-Upper", "1")), RawH2Connection.PROTOCOL_ERROR);
        assertReset(answerTo(RawH2Connection.headers(1, true, ":method", "GET", ":scheme", "http", ":path", "/",
                ":status", "200")), RawH2Connection.PROTOCOL_ERROR);
    }

    @Test
    void aPathWithRawUtf8GoesOn() throws Exception {
        try (RawH2Connection client = RawH2Connection.open(gateway.port())) {
            client.write(request(true, "GET", "/caf\u00e9"));
            await().atMost(Duration.ofSeconds(20)).until(() -> ended(client, 1));
            assertThat(status(client, 1)).contains("200");
        }
    }

    @Test
    void badTrailersResetTheStreamWithProtocolError() throws Exception {
        try (RawH2Connection client = RawH2Connection.open(gateway.port())) {
            client.write(RawH2Connection.concat(
                    request(false, "POST", "/upload?delay=1s"),
                    RawH2Connection.data(1, "body".getBytes(StandardCharsets.US_ASCII), false),
                    RawH2Connection.headers(1, true, "x-checksum", "a\u0001b")));

            await().atMost(Duration.ofSeconds(20)).until(() -> ended(client, 1));
            assertThat(client.onStream(1)).anySatisfy(f -> {
                assertThat(f.type()).isEqualTo(RST_STREAM);
                assertThat(f.errorCode()).isEqualTo(RawH2Connection.PROTOCOL_ERROR);
            });
            client.write(RawH2Connection.get(3, "/after", true));
            await().atMost(Duration.ofSeconds(20)).until(() -> ended(client, 3));
            assertThat(status(client, 3)).contains("200");
        }
    }
}
