package io.edgegateway.server;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import io.edgegateway.loadtest.upstream.MockUpstream;
import io.edgegateway.loadtest.upstream.RecordedRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The path routed is the path forwarded: spellings that would leave a route at an upstream that
 * decodes {@code %2F} or {@code \}, or reads {@code ;} as parameters, are refused; the others are
 * forwarded in their normal form. Absolute-form targets are routed by their authority, and raw UTF-8
 * reaches the upstream as the same bytes, escaped.
 */
class PathNormalizationTest {

    static MockUpstream pub;
    static MockUpstream admin;
    static MockUpstream hosted;
    static TestGateway gateway;

    @BeforeAll
    static void start() throws Exception {
        pub = MockUpstream.builder().name("pub").start();
        admin = MockUpstream.builder().name("admin").start();
        hosted = MockUpstream.builder().name("hosted").start();
        gateway = TestGateway.start("""
                routes = [
                  { id = pub, match { path-prefix = "/pub" }, strip-prefix = false, upstreams = ["http://127.0.0.1:%1$d"] }
                  { id = stripped, match { path-prefix = "/strip" }, strip-prefix = true, upstreams = ["http://127.0.0.1:%1$d"] }
                  { id = cafe, match { path-prefix = "/caf%%C3%%A9" }, upstreams = ["http://127.0.0.1:%1$d"] }
                  { id = admin, match { path-prefix = "/admin" }, upstreams = ["http://127.0.0.1:%2$d"] }
                  { id = hosted, match { path-prefix = "/", host = "api.example.com" }, upstreams = ["http://127.0.0.1:%3$d"] }
                ]
                """.formatted(pub.port(), admin.port(), hosted.port()));
    }

    @AfterAll
    static void stop() {
        gateway.close();
        pub.close();
        admin.close();
        hosted.close();
    }

    @BeforeEach
    void clear() {
        pub.clearRecordedRequests();
        admin.clearRecordedRequests();
        hosted.clearRecordedRequests();
    }

    private static RawHttpConnection.Response send(String requestLineTarget, String host) throws Exception {
        try (RawHttpConnection connection = new RawHttpConnection(gateway.port())) {
            return connection.send("GET " + requestLineTarget + " HTTP/1.1\r\nHost: " + host + "\r\n\r\n").read();
        }
    }

    private static int recorded() {
        return pub.recordedRequests().size() + admin.recordedRequests().size() + hosted.recordedRequests().size();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"/pub/..%2fadmin", "/pub/%2e%2e%2fadmin", "/pub/..;/admin", "/pub/..\\admin",
            "/pub/..%5cadmin", "/pub/..%2Fadmin", "/pub/.%2e/.%2e/admin", "/pub/a%2f..%2f..%2fadmin", "/pub/%zz"})
    void routeEscapesAreRefusedAndReachNoUpstream(String target) throws Exception {
        try (RawHttpConnection connection = new RawHttpConnection(gateway.port())) {
            connection.send("GET " + target + " HTTP/1.1\r\nHost: a.test\r\n\r\n");
            RawHttpConnection.Response refused = connection.read();
            assertThat(refused.status()).isEqualTo(400);
            assertThat(refused.bodyText()).isEqualTo("{\"error\":\"bad_request\"}");
        }
        assertThat(recorded()).isZero();
        assertThat(send("/pub/ok", "a.test").status()).as("served on afterwards").isEqualTo(200);
        assertThat(pub.recordedRequests()).extracting(RecordedRequest::uri).containsExactly("/pub/ok");
    }

    @ParameterizedTest(name = "{0} -> {2} {1}")
    @CsvSource(delimiter = '|', textBlock = """
            /pub/%7Euser/%41?q=%7e/../x      | /pub/~user/A?q=%7e/../x   | pub
            /pub/a/./b/../c                  | /pub/a/c                  | pub
            /pub//a///b/                     | /pub/a/b/                 | pub
            /pub/%3a%2c                      | /pub/%3A%2C               | pub
            /pub/../admin/x                  | /admin/x                  | admin
            /pub/%2e%2e/admin/x              | /admin/x                  | admin
            /strip/a/../b?x=1                | /b?x=1                    | pub
            /STRIP./b                        | /b                        | pub
            /strip                           | /                         | pub
            """)
    void otherSpellingsAreForwardedInNormalFormToWhereTheyLead(String target, String forwarded, String upstream)
            throws Exception {
        RawHttpConnection.Response response = send(target, "a.test");
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("x-upstream")).isEqualTo(upstream);
        MockUpstream reached = upstream.equals("pub") ? pub : admin;
        assertThat(reached.recordedRequests()).extracting(RecordedRequest::uri).containsExactly(forwarded);
        assertThat(recorded()).isEqualTo(1);
    }

    @Test
    void rawUtf8InThePathAndQueryArrivesAsTheSameBytesEscaped() throws Exception {
        // The string's chars are sent as single bytes: C3 A9 is UTF-8 for e-acute.
        RawHttpConnection.Response raw = send("/caf\u00c3\u00a9/men\u00c3\u00bc?q=\u00c3\u00a9", "a.test");
        assertThat(raw.status()).isEqualTo(200);
        assertThat(raw.header("x-upstream")).isEqualTo("pub");
        assertThat(send("/caf%c3%a9/x", "a.test").status()).isEqualTo(200);
        assertThat(pub.recordedRequests()).extracting(RecordedRequest::uri)
                .containsExactly("/caf%C3%A9/men%C3%BC?q=%C3%A9", "/caf%C3%A9/x");
    }

    @Test
    void rawUtf8OverHttp2IsTheSame() throws Exception {
        try (H2cTestClient client = new H2cTestClient(gateway.port())) {
            assertThat(client.get("/caf\u00c3\u00a9/h2").status.get(30, SECONDS)).isEqualTo("200");
            assertThat(client.get("/pub/..%2fadmin").status.get(30, SECONDS)).isEqualTo("400");
        }
        assertThat(pub.recordedRequests()).extracting(RecordedRequest::uri).containsExactly("/caf%C3%A9/h2");
        assertThat(admin.recordedRequests()).isEmpty();
    }

    @Test
    void anAbsoluteFormTargetIsRoutedByItsAuthorityWhichBecomesTheHost() throws Exception {
        RawHttpConnection.Response response = send("http://api.example.com/x/../y/%7e?q=1", "other.test");
        assertThat(response.header("x-upstream")).isEqualTo("hosted");
        RecordedRequest seen = hosted.lastRequest().orElseThrow();
        assertThat(seen.uri()).isEqualTo("/y/~?q=1");
        assertThat(seen.header("host")).isEqualTo("api.example.com");
        assertThat(seen.header("x-forwarded-host")).isEqualTo("api.example.com");

        assertThat(send("HTTPS://API.example.com.:8443", "other.test").header("x-upstream")).isEqualTo("hosted");
        assertThat(hosted.lastRequest().orElseThrow().uri()).isEqualTo("/");
        assertThat(hosted.lastRequest().orElseThrow().header("host")).isEqualTo("API.example.com.:8443");

        // And the other way round: a Host naming the hosted route does not count for an absolute target.
        assertThat(send("/y", "api.example.com").header("x-upstream")).isEqualTo("hosted");
        assertThat(send("http://other.test/y", "api.example.com").status()).isEqualTo(404);
        assertThat(send("http://other.test/pub/z", "api.example.com").header("x-upstream")).isEqualTo("pub");
        assertThat(pub.lastRequest().orElseThrow().header("host")).isEqualTo("other.test");
        assertThat(hosted.recordedRequests()).hasSize(3);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"ftp://api.example.com/pub", "http://user@api.example.com/pub",
            "http://user:secret@api.example.com/", "http:///pub", "ws://api.example.com/pub", "http://api.example.com/..",
            "http://api.example.com/pub%2fx"})
    void badAbsoluteFormTargetsAre400(String target) throws Exception {
        assertThat(send(target, "api.example.com").status()).isEqualTo(400);
        assertThat(recorded()).isZero();
    }
}
