package io.edgegateway.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.edgegateway.loadtest.upstream.MockUpstream;
import io.edgegateway.loadtest.upstream.RecordedRequest;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Request framing the gateway and a proxy in front of it could read differently is refused: the
 * answer is 400 (or 505), the connection closes, and neither the broken request nor one sent
 * behind it on the same connection reaches the upstream.
 */
class StrictFramingTest {

    /** Sent behind every refused request on the same connection: it must never be forwarded. */
    private static final String SMUGGLED = "GET /ok/smuggled HTTP/1.1\r\nHost: a\r\n\r\n";
    private static final String CHUNKED_HEAD = "POST /ok HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n";
    private static final AtomicInteger AFTER = new AtomicInteger();

    static MockUpstream upstream;
    static TestGateway gateway;

    @BeforeAll
    static void start() throws Exception {
        upstream = MockUpstream.builder().name("up").start();
        gateway = TestGateway.start("routes = [" + TestGateway.route("ok", "/ok", upstream.port()) + "]");
    }

    @AfterAll
    static void stop() {
        gateway.close();
        upstream.close();
    }

    static Stream<Arguments> brokenChunks() {
        return Stream.of(
                arguments("size over 64 bits", "10000000000000000\r\nhello\r\n0\r\n\r\n"),
                arguments("size over 31 bits", "80000000\r\nhello\r\n0\r\n\r\n"),
                arguments("negative size", "-5\r\nhello\r\n0\r\n\r\n"),
                arguments("signed size", "+5\r\nhello\r\n0\r\n\r\n"),
                arguments("0x prefix", "0x5\r\nhello\r\n0\r\n\r\n"),
                arguments("junk after the size", "5g\r\nhello\r\n0\r\n\r\n"),
                arguments("no hex digit", "zz\r\nhello\r\n0\r\n\r\n"),
                arguments("leading space", " 5\r\nhello\r\n0\r\n\r\n"),
                arguments("leading tab", "\t5\r\nhello\r\n0\r\n\r\n"),
                arguments("trailing space without extension", "5 \r\nhello\r\n0\r\n\r\n"),
                arguments("space inside the size", "5 5\r\nhello\r\n0\r\n\r\n"),
                arguments("empty size line", "\r\nhello\r\n0\r\n\r\n"),
                arguments("extension without size", ";a=b\r\nhello\r\n0\r\n\r\n"),
                arguments("unterminated quoted extension", "5;a=\"b\r\nhello\r\n0\r\n\r\n"),
                arguments("data not followed by CRLF", "5\r\nhelloXX\r\n0\r\n\r\n"),
                arguments("data longer than its size", "3\r\nhello\r\n0\r\n\r\n"),
                arguments("data running into the next request", "a\r\nhello\r\nGET /ok/smuggled-too HTTP/1.1\r\nHost: a\r\n\r\n"),
                arguments("bare LF after the size", "5\nhello\r\n0\r\n\r\n"),
                arguments("bare LF after the data", "5\r\nhello\n0\r\n\r\n"),
                arguments("bare LF after the last chunk", "5\r\nhello\r\n0\n\r\n"),
                arguments("bare LF ending the trailers", "5\r\nhello\r\n0\r\n\n"),
                arguments("bare LF ending a trailer", "5\r\nhello\r\n0\r\nX-T: 1\n\r\n"),
                arguments("bare CR in the size line", "5\rhello\r\n0\r\n\r\n"),
                arguments("bare LF in an extension", "5;a\nb\r\nhello\r\n0\r\n\r\n"),
                arguments("CR in an extension", "5;a\rb\r\nhello\r\n0\r\n\r\n"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenChunks")
    void brokenChunkFramingIs400AndCloses(String name, String body) throws Exception {
        assertRefused(CHUNKED_HEAD + body + SMUGGLED, 400, false);
    }

    @ParameterizedTest(name = "{0}, one byte at a time")
    @MethodSource("brokenChunks")
    void brokenChunkFramingSplitAtEveryByteIs400AndCloses(String name, String body) throws Exception {
        assertRefused(CHUNKED_HEAD + body + SMUGGLED, 400, true);
    }

    static Stream<Arguments> brokenHeads() {
        return Stream.of(
                arguments("bare LF ending the request line", "GET /ok/x HTTP/1.1\nHost: a\r\n\r\n", 400),
                arguments("bare LF ending a header", "GET /ok/x HTTP/1.1\r\nHost: a\nX-A: b\r\n\r\n", 400),
                arguments("bare LF ending the head", "GET /ok/x HTTP/1.1\r\nHost: a\r\n\n", 400),
                arguments("bare CR inside a header", "GET /ok/x HTTP/1.1\r\nHost: a\rX-A: b\r\n\r\n", 400),
                arguments("space before a colon", "GET /ok/x HTTP/1.1\r\nHost : a\r\n\r\n", 400),
                arguments("Host with a space", "GET /ok/x HTTP/1.1\r\nHost: a b\r\n\r\n", 400),
                arguments("Host with a slash", "GET /ok/x HTTP/1.1\r\nHost: a/b\r\n\r\n", 400),
                arguments("Host with a backslash", "GET /ok/x HTTP/1.1\r\nHost: a\\b\r\n\r\n", 400),
                arguments("Host with userinfo", "GET /ok/x HTTP/1.1\r\nHost: user@a\r\n\r\n", 400),
                arguments("Host as a list", "GET /ok/x HTTP/1.1\r\nHost: a, b\r\n\r\n", 400),
                arguments("Host as a list without space", "GET /ok/x HTTP/1.1\r\nHost: a,b\r\n\r\n", 400),
                arguments("Host with a letter in the port", "GET /ok/x HTTP/1.1\r\nHost: a:8o\r\n\r\n", 400),
                arguments("Host with six port digits", "GET /ok/x HTTP/1.1\r\nHost: a:000080\r\n\r\n", 400),
                arguments("Host with a port over 65535", "GET /ok/x HTTP/1.1\r\nHost: a:65536\r\n\r\n", 400),
                arguments("Host with an empty port", "GET /ok/x HTTP/1.1\r\nHost: a:\r\n\r\n", 400),
                arguments("Host with two ports", "GET /ok/x HTTP/1.1\r\nHost: a:80:81\r\n\r\n", 400),
                arguments("Host with a stray percent", "GET /ok/x HTTP/1.1\r\nHost: a%zz\r\n\r\n", 400),
                arguments("Host with an unclosed IPv6 literal", "GET /ok/x HTTP/1.1\r\nHost: [::1\r\n\r\n", 400),
                arguments("Host with a bogus IPv6 literal", "GET /ok/x HTTP/1.1\r\nHost: [zz::1]\r\n\r\n", 400),
                arguments("Host with an IPv6 zone", "GET /ok/x HTTP/1.1\r\nHost: [fe80::1%25eth0]\r\n\r\n", 400),
                arguments("Host with junk after the IPv6 literal", "GET /ok/x HTTP/1.1\r\nHost: [::1]x\r\n\r\n", 400),
                arguments("two Hosts", "GET /ok/x HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400),
                arguments("HTTP/1.1 without Host", "GET /ok/x HTTP/1.1\r\n\r\n", 400),
                arguments("HTTP/9.9", "GET /ok/x HTTP/9.9\r\nHost: a\r\n\r\n", 505),
                arguments("HTTP/2.0 in a request line", "GET /ok/x HTTP/2.0\r\nHost: a\r\n\r\n", 505),
                arguments("HTTP/1.2", "GET /ok/x HTTP/1.2\r\nHost: a\r\n\r\n", 505),
                arguments("HTTP/0.9", "GET /ok/x HTTP/0.9\r\nHost: a\r\n\r\n", 505),
                arguments("lower-case protocol name", "GET /ok/x http/1.1\r\nHost: a\r\n\r\n", 400),
                arguments("no version", "GET /ok/x\r\nHost: a\r\n\r\n", 400),
                arguments("NUL in the target", "GET /ok/a\u0000b HTTP/1.1\r\nHost: a\r\n\r\n", 400),
                arguments("SOH in the target", "GET /ok/a\u0001b HTTP/1.1\r\nHost: a\r\n\r\n", 400),
                arguments("ESC in the target", "GET /ok/a\u001bb HTTP/1.1\r\nHost: a\r\n\r\n", 400),
                arguments("DEL in the target", "GET /ok/a\u007fb HTTP/1.1\r\nHost: a\r\n\r\n", 400),
                arguments("tab in the target", "GET /ok/a\tb HTTP/1.1\r\nHost: a\r\n\r\n", 400),
                arguments("method that is not a token", "GE(T /ok/x HTTP/1.1\r\nHost: a\r\n\r\n", 400),
                arguments("NUL in the method", "G\u0000T /ok/x HTTP/1.1\r\nHost: a\r\n\r\n", 400),
                arguments("Transfer-Encoding in HTTP/1.0",
                        "POST /ok/x HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400),
                arguments("chunked twice", "POST /ok/x HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked, chunked\r\n\r\n"
                        + "0\r\n\r\n", 400));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenHeads")
    void brokenHeadIsRefusedAndCloses(String name, String head, int status) throws Exception {
        RawHttpConnection.Response response = assertRefused(head + SMUGGLED, status, false);
        if (status == 505) {
            assertThat(response.bodyText()).isEqualTo("{\"error\":\"http_version_not_supported\"}");
        }
    }

    static Stream<Arguments> acceptedHosts() {
        return Stream.of("a", "a:8080", "api.example.com.", "127.0.0.1:80", "[::1]", "[::1]:8080",
                "[::ffff:127.0.0.1]", "xn--bcher-kva.example", "a.b-c_d~e", "%61", "").map(Arguments::of);
    }

    @ParameterizedTest(name = "Host: \"{0}\"")
    @MethodSource("acceptedHosts")
    void wellFormedHostsAreForwarded(String host) throws Exception {
        try (RawHttpConnection connection = new RawHttpConnection(gateway.port())) {
            RawHttpConnection.Response response = connection.send("GET /ok/host HTTP/1.1\r\nHost: " + host + "\r\n\r\n").read();
            assertThat(response.status()).isEqualTo(200);
        }
    }

    static Stream<Arguments> wellFormedChunks() {
        return Stream.of(
                arguments("extension after BWS", "5 ;ext\r\nhello\r\n0\r\n\r\n"),
                arguments("extension after a tab", "5\t;ext=1\r\nhello\r\n0\r\n\r\n"),
                arguments("quoted extension", "5;name=\"quoted \\\" value\"\r\nhello\r\n0\r\n\r\n"),
                arguments("leading zeros", "0000000000000000000005\r\nhello\r\n0\r\n\r\n"),
                arguments("upper-case hex", "A\r\nhellohello\r\n0\r\n\r\n"),
                arguments("trailer", "5\r\nhello\r\n0\r\nX-Checksum: 1\r\n\r\n"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("wellFormedChunks")
    void wellFormedChunksAreForwardedAndTheConnectionStaysUsable(String name, String body) throws Exception {
        assertWellFormedChunksForwarded(body, false);
    }

    @ParameterizedTest(name = "{0}, one byte at a time")
    @MethodSource("wellFormedChunks")
    void wellFormedChunksSplitAtEveryByteAreForwarded(String name, String body) throws Exception {
        assertWellFormedChunksForwarded(body, true);
    }

    @Test
    void leadingEmptyLinesBeforeARequestAreIgnored() throws Exception {
        try (RawHttpConnection connection = new RawHttpConnection(gateway.port())) {
            assertThat(connection.send("\r\n\r\nGET /ok/x HTTP/1.1\r\nHost: a\r\n\r\n").read().status()).isEqualTo(200);
        }
    }

    private static void assertWellFormedChunksForwarded(String body, boolean byteByByte) throws Exception {
        int length = decodedLength(body);
        try (RawHttpConnection connection = new RawHttpConnection(gateway.port())) {
            String request = CHUNKED_HEAD + body + "GET /ok/next HTTP/1.1\r\nHost: a\r\n\r\n";
            if (byteByByte) {
                assertThat(connection.sendByteByByte(request)).isTrue();
            } else {
                connection.send(request);
            }
            RawHttpConnection.Response first = connection.read();
            assertThat(first.status()).isEqualTo(200);
            assertThat(first.header("x-received-bytes")).isEqualTo(Integer.toString(length));
            assertThat(connection.read().status()).as("the request behind it, on the same connection").isEqualTo(200);
        }
    }

    private static int decodedLength(String body) {
        return body.contains("hellohello") ? 10 : 5;
    }

    /**
     * Sends {@code raw} on a fresh connection and asserts: the answer is {@code status}, the
     * connection closes, the upstream answered nothing more and saw no smuggled request, and the
     * gateway still serves a new connection.
     */
    private static RawHttpConnection.Response assertRefused(String raw, int status, boolean byteByByte) throws Exception {
        long servedBefore = upstream.requestsServed();
        RawHttpConnection.Response response;
        try (RawHttpConnection connection = new RawHttpConnection(gateway.port())) {
            if (byteByByte) {
                connection.sendByteByByte(raw);
            } else {
                connection.send(raw);
            }
            response = connection.read();
            assertThat(response.status()).isEqualTo(status);
            assertThat(response.header("connection")).isEqualTo("close");
            assertThat(connection.readUntilClosedByServer()).as("connection closed").isTrue();
        }
        String after = "/ok/after-" + AFTER.incrementAndGet();
        try (RawHttpConnection next = new RawHttpConnection(gateway.port())) {
            assertThat(next.send("GET " + after + " HTTP/1.1\r\nHost: a\r\n\r\n").read().status())
                    .as("the gateway still serves others").isEqualTo(200);
        }
        assertThat(upstream.requestsServed()).as("upstream answers: only the one after").isEqualTo(servedBefore + 1);
        assertThat(upstream.recordedRequests()).extracting(RecordedRequest::path)
                .contains(after)
                .doesNotContain("/ok/smuggled", "/ok/smuggled-too");
        return response;
    }
}
