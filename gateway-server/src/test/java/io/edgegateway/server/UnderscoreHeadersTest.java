package io.edgegateway.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgegateway.loadtest.upstream.MockUpstream;
import io.edgegateway.loadtest.upstream.RecordedRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code limits.headers-with-underscores}: drop (the default), reject and allow, end to end. */
class UnderscoreHeadersTest {

    private static final String SPOOFING = "GET /echo HTTP/1.1\r\nHost: a\r\n"
            + "X_Forwarded_For: 6.6.6.6\r\nX_Custom: spoofed\r\nX-Custom: real\r\n\r\n";

    static MockUpstream upstream;

    @BeforeAll
    static void start() {
        upstream = MockUpstream.builder().name("up").start();
    }

    @AfterAll
    static void stop() {
        upstream.close();
    }

    private static TestGateway gateway(String policy) throws Exception {
        return TestGateway.start((policy == null ? "" : "limits.headers-with-underscores = " + policy + "\n")
                + "routes = [" + TestGateway.route("all", "/", upstream.port()) + "]");
    }

    @Test
    void droppedByDefaultSoTheUpstreamNeverSeesThem() throws Exception {
        try (TestGateway gateway = gateway(null); RawHttpConnection connection = new RawHttpConnection(gateway.port())) {
            assertThat(connection.send(SPOOFING).read().status()).isEqualTo(200);
            RecordedRequest seen = upstream.lastRequest().orElseThrow();
            assertThat(seen.headers().keySet()).noneMatch(name -> name.contains("_"));
            assertThat(seen.header("x-forwarded-for")).isEqualTo("127.0.0.1");
            assertThat(seen.headers("x-custom")).containsExactly("real");

            // The connection stays usable: dropping is not refusing.
            assertThat(connection.send("GET /echo?second HTTP/1.1\r\nHost: a\r\n\r\n").read().status()).isEqualTo(200);
        }
    }

    @Test
    void rejectAnswers400ClosesAndForwardsNothing() throws Exception {
        try (TestGateway gateway = gateway("reject")) {
            long served = upstream.requestsServed();
            try (RawHttpConnection connection = new RawHttpConnection(gateway.port())) {
                RawHttpConnection.Response response = connection.send(SPOOFING + "GET /smuggled HTTP/1.1\r\nHost: a\r\n\r\n").read();
                assertThat(response.status()).isEqualTo(400);
                assertThat(response.bodyText()).isEqualTo("{\"error\":\"bad_request\"}");
                assertThat(connection.readUntilClosedByServer()).isTrue();
            }
            try (RawHttpConnection connection = new RawHttpConnection(gateway.port())) {
                String chunkedWithTrailer = "POST /echo HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
                        + "5\r\nhello\r\n0\r\nX_Trailer: 1\r\n\r\n";
                assertThat(connection.send(chunkedWithTrailer).read().status()).as("a trailer too").isEqualTo(400);
                assertThat(connection.readUntilClosedByServer()).isTrue();
            }
            assertThat(gateway.get("/after").statusCode()).isEqualTo(200);
            assertThat(upstream.requestsServed()).isEqualTo(served + 1);
            assertThat(upstream.recordedRequests()).extracting(RecordedRequest::path).doesNotContain("/smuggled");
        }
    }

    @Test
    void allowForwardsThemAsSent() throws Exception {
        try (TestGateway gateway = gateway("allow"); RawHttpConnection connection = new RawHttpConnection(gateway.port())) {
            assertThat(connection.send(SPOOFING).read().status()).isEqualTo(200);
            RecordedRequest seen = upstream.lastRequest().orElseThrow();
            assertThat(seen.header("x_custom")).isEqualTo("spoofed");
            assertThat(seen.header("x_forwarded_for")).isEqualTo("6.6.6.6");
        }
    }
}
