package io.edgegateway.server;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import io.edgegateway.loadtest.upstream.MockUpstream;
import io.edgegateway.loadtest.upstream.RecordedRequest;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A limited route beside a catch-all: no spelling of a limited path (escapes, slashes, case, dots,
 * parameters, HEAD, a Host with a trailing dot, HTTP/2) gets around the quota by landing on the
 * catch-all, whose upstream would read it as the limited path.
 */
class RouteBypassTest {

    private static final AtomicInteger KEYS = new AtomicInteger();

    static MockUpstream limited;
    static MockUpstream catchAll;
    static TestGateway gateway;

    @BeforeAll
    static void start() throws Exception {
        limited = MockUpstream.builder().name("limited").start();
        catchAll = MockUpstream.builder().name("catch-all").start();
        gateway = TestGateway.start("""
                identity { sources = [ { type = header, name = "X-API-Key" } ] }
                routes = [
                  { id = any, match { path-prefix = "/" }, upstreams = ["http://127.0.0.1:%2$d"] }
                  { id = limited, match { path-prefix = "/limited" }, upstreams = ["http://127.0.0.1:%1$d"],
                    rate-limit { requests = 1, window = 60s } }
                  { id = reads, match { path-prefix = "/reads", methods = [GET] }, upstreams = ["http://127.0.0.1:%1$d"],
                    rate-limit { requests = 1, window = 60s } }
                  { id = hosted, match { path-prefix = "/hosted", host = "api.example.com" },
                    upstreams = ["http://127.0.0.1:%1$d"], rate-limit { requests = 1, window = 60s } }
                ]
                """.formatted(limited.port(), catchAll.port()));
    }

    @AfterAll
    static void stop() {
        gateway.close();
        limited.close();
        catchAll.close();
    }

    @BeforeEach
    void clear() {
        limited.clearRecordedRequests();
        catchAll.clearRecordedRequests();
    }

    /** A caller nobody has used yet: its quota is whole. */
    private static String freshKey() {
        return "key-" + KEYS.incrementAndGet();
    }

    private static RawHttpConnection.Response send(String method, String target, String host, String key) throws Exception {
        try (RawHttpConnection connection = new RawHttpConnection(gateway.port())) {
            return connection.send(method + " " + target + " HTTP/1.1\r\nHost: " + host + "\r\nX-API-Key: " + key
                    + "\r\n\r\n").read(method.equals("HEAD"));
        }
    }

    private static RawHttpConnection.Response get(String target, String key) throws Exception {
        return send("GET", target, "a.test", key);
    }

    @ParameterizedTest(name = "{0} is {1} on the limited route")
    @CsvSource(delimiter = '|', textBlock = """
            //limited/x          | /limited/x
            ///limited//x        | /limited/x
            /%6cimited/x         | /limited/x
            /%6Cimited/%78       | /limited/x
            /LIMITED/x           | /LIMITED/x
            /Limited/x           | /Limited/x
            /limited./x          | /limited./x
            /limited../x         | /limited../x
            /limited/./x         | /limited/x
            /other/../limited/x  | /limited/x
            /%2e/limited/x       | /limited/x
            /limited             | /limited
            """)
    void everySpellingOfTheLimitedPathSharesItsQuota(String spelling, String forwarded) throws Exception {
        String key = freshKey();
        RawHttpConnection.Response first = get(spelling, key);
        assertThat(first.status()).isEqualTo(200);
        assertThat(first.header("x-upstream")).isEqualTo("limited");
        assertThat(limited.recordedRequests()).extracting(RecordedRequest::uri).containsExactly(forwarded);

        assertThat(get("/limited/x", key).status()).as("the plain spelling, after").isEqualTo(429);
        assertThat(get(spelling, key).status()).as("the same spelling again").isEqualTo(429);
        assertThat(limited.recordedRequests()).hasSize(1);
        assertThat(catchAll.recordedRequests()).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"/limited;a=b/x", "/limited%2fx", "/limited%2Fx", "/limited%5cx", "/limited\\x",
            "/limited/..;/x", "/limited/%2e%2e%2fx", "/../limited/x"})
    void spellingsTheGatewayCannotVouchForAreRefused(String spelling) throws Exception {
        String key = freshKey();
        RawHttpConnection.Response refused = get(spelling, key);
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.bodyText()).isEqualTo("{\"error\":\"bad_request\"}");
        assertThat(limited.recordedRequests()).isEmpty();
        assertThat(catchAll.recordedRequests()).isEmpty();
        // The quota is untouched, and the gateway serves on.
        assertThat(get("/limited/x", key).status()).isEqualTo(200);
        assertThat(limited.recordedRequests()).extracting(RecordedRequest::uri).containsExactly("/limited/x");
    }

    @Test
    void headFollowsGetsRouteAndItsLimit() throws Exception {
        String key = freshKey();
        assertThat(send("GET", "/reads/x", "a.test", key).status()).isEqualTo(200);
        for (int i = 0; i < 3; i++) {
            assertThat(send("HEAD", "/reads/x", "a.test", key).status()).isEqualTo(429);
        }
        assertThat(catchAll.recordedRequests()).isEmpty();
        assertThat(limited.recordedRequests()).hasSize(1);

        String other = freshKey();
        RawHttpConnection.Response head = send("HEAD", "/reads/y", "a.test", other);
        assertThat(head.status()).isEqualTo(200);
        assertThat(head.header("ratelimit-policy")).isEqualTo("\"reads\";q=1;w=60");
        assertThat(send("GET", "/reads/y", "a.test", other).status()).isEqualTo(429);
        assertThat(limited.recordedRequests()).extracting(RecordedRequest::method).containsExactly("GET", "HEAD");
        assertThat(catchAll.recordedRequests()).isEmpty();
        // Other methods are not the route's: the catch-all takes them.
        try (RawHttpConnection connection = new RawHttpConnection(gateway.port())) {
            connection.send("DELETE /reads/y HTTP/1.1\r\nHost: a.test\r\nX-API-Key: " + other + "\r\n\r\n");
            assertThat(connection.read().header("x-upstream")).isEqualTo("catch-all");
        }
    }

    @ParameterizedTest(name = "Host: {0}")
    @ValueSource(strings = {"api.example.com.", "API.Example.COM.", "api.example.com.:8080", "api.example.com:8080"})
    void aHostWithATrailingDotIsTheSameHost(String host) throws Exception {
        String key = freshKey();
        assertThat(send("GET", "/hosted/x", "api.example.com", key).status()).isEqualTo(200);
        RawHttpConnection.Response denied = send("GET", "/hosted/x", host, key);
        assertThat(denied.status()).isEqualTo(429);
        assertThat(catchAll.recordedRequests()).isEmpty();
        assertThat(limited.recordedRequests()).hasSize(1);
        assertThat(send("GET", "/hosted/x", "other.example.com", key).header("x-upstream")).isEqualTo("catch-all");
    }

    @Test
    void overHttp2TheSpellingsShareTheQuotaToo() throws Exception {
        List<String> spellings = List.of("//limited/x", "/%6cimited/x", "/LIMITED/x", "/limited./x", "/a/../limited/x");
        try (H2cTestClient client = new H2cTestClient(gateway.port())) {
            for (String spelling : spellings) {
                String key = freshKey();
                assertThat(client.get(spelling, "x-api-key", key).status.get(30, SECONDS)).as(spelling).isEqualTo("200");
                assertThat(client.get("/limited/x", "x-api-key", key).status.get(30, SECONDS)).as(spelling).isEqualTo("429");
                assertThat(client.get(spelling, "x-api-key", key).status.get(30, SECONDS)).as(spelling).isEqualTo("429");
            }
            for (String refused : List.of("/limited;a=b/x", "/limited%2fx", "/limited/..%2fx")) {
                assertThat(client.get(refused, "x-api-key", freshKey()).status.get(30, SECONDS)).as(refused)
                        .isEqualTo("400");
            }
        }
        assertThat(limited.recordedRequests()).extracting(RecordedRequest::uri)
                .containsExactly("/limited/x", "/limited/x", "/LIMITED/x", "/limited./x", "/limited/x");
        assertThat(catchAll.recordedRequests()).isEmpty();
    }
}
