package io.edgegateway.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgegateway.loadtest.upstream.MockUpstream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class RoutingTest {

    static MockUpstream a;
    static MockUpstream b;
    static TestGateway gateway;

    @BeforeAll
    static void start() throws Exception {
        a = MockUpstream.builder().name("a").start();
        b = MockUpstream.builder().name("b").start();
        gateway = TestGateway.start("""
                routes = [
                  { id = api, match { path-prefix = "/api" }, upstreams = ["http://127.0.0.1:%1$d"] }
                  { id = users, match { path-prefix = "/api/users" }, strip-prefix = true,
                    upstreams = ["http://127.0.0.1:%2$d"] }
                  { id = posts, match { path-prefix = "/api/posts", methods = [POST] },
                    upstreams = ["http://127.0.0.1:%2$d"] }
                  { id = hosted, match { path-prefix = "/site", host = "example.test" },
                    upstreams = ["http://127.0.0.1:%2$d"] }
                  { id = site, match { path-prefix = "/site" }, upstreams = ["http://127.0.0.1:%1$d"] }
                ]
                """.formatted(a.port(), b.port()));
    }

    @AfterAll
    static void stop() {
        gateway.close();
        a.close();
        b.close();
    }

    @Test
    void longestPrefixWins() throws Exception {
        assertThat(gateway.get("/api/things").headers().firstValue("x-upstream")).hasValue("a");
        assertThat(gateway.get("/api/users/42").headers().firstValue("x-upstream")).hasValue("b");
    }

    @Test
    void prefixMatchesWholeSegmentsOnly() throws Exception {
        assertThat(gateway.get("/api/usersettings").headers().firstValue("x-upstream")).hasValue("a");
        assertThat(gateway.get("/apix").statusCode()).isEqualTo(404);
    }

    @Test
    void stripPrefixRemovesTheRoutePrefixAndKeepsTheQuery() throws Exception {
        gateway.get("/api/users/42?expand=true");
        assertThat(b.lastRequest().orElseThrow().uri()).isEqualTo("/42?expand=true");
        gateway.get("/api/users");
        assertThat(b.lastRequest().orElseThrow().uri()).isEqualTo("/");
    }

    @Test
    void withoutStripPrefixThePathIsForwardedAsIs() throws Exception {
        gateway.get("/api/things?x=1");
        assertThat(a.lastRequest().orElseThrow().uri()).isEqualTo("/api/things?x=1");
    }

    @Test
    void methodsRestrictARoute() throws Exception {
        HttpResponse<String> post = TestGateway.client().send(HttpRequest.newBuilder(gateway.uri("/api/posts"))
                .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(post.headers().firstValue("x-upstream")).hasValue("b");
        // GET is not among the route's methods, so the shorter /api route takes it.
        assertThat(gateway.get("/api/posts").headers().firstValue("x-upstream")).hasValue("a");
    }

    @Test
    void hostRestrictsARoute() throws Exception {
        try (RawHttpConnection connection = new RawHttpConnection(gateway.port())) {
            connection.send("GET /site/page HTTP/1.1\r\nHost: Example.Test:8080\r\n\r\n");
            assertThat(connection.read().header("x-upstream")).isEqualTo("b");
            connection.send("GET /site/page HTTP/1.1\r\nHost: other.test\r\n\r\n");
            assertThat(connection.read().header("x-upstream")).isEqualTo("a");
        }
    }

    @Test
    void noRouteIs404WithJson() throws Exception {
        HttpResponse<String> response = gateway.get("/nowhere");
        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.body()).isEqualTo("{\"error\":\"no_route\"}");
        assertThat(response.headers().firstValue("content-type")).hasValue("application/json");
    }
}
