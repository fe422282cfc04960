package io.edgegateway.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.edgegateway.loadtest.upstream.MockUpstream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One JSON line per request, written by the gateway's access log to a file. */
class AccessLogTest {

    /** The first 16 hex digits of SHA-256("alice"), as {@code access-log.identity = hash} (the default) writes it. */
    private static final String ALICE_HASH = "2bd806c97f0e00af";

    @TempDir
    Path directory;

    private MockUpstream upstream;
    private TestGateway gateway;

    @AfterEach
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
        upstream.close();
    }

    private RawHttpConnection.Response get(String path, String apiKey) throws Exception {
        try (RawHttpConnection connection = new RawHttpConnection(gateway.port())) {
            return connection.send("GET " + path + " HTTP/1.1\r\nHost: a\r\nX-Request-Id: " + path.hashCode()
                    + "\r\n" + (apiKey == null ? "" : "X-API-Key: " + apiKey + "\r\n") + "\r\n").read();
        }
    }

    private List<String> lines(Path log, int count) throws Exception {
        await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(log)
                && Files.readAllLines(log, StandardCharsets.UTF_8).size() >= count);
        return Files.readAllLines(log, StandardCharsets.UTF_8);
    }

    @Test
    void everyRequestGetsALineWithWhatHappenedToIt() throws Exception {
        upstream = MockUpstream.builder().name("up").start();
        Path log = directory.resolve("access.log");
        gateway = TestGateway.start("""
                access-log { enabled = true, path = "%s" }
                identity { sources = [ { type = header, name = "X-API-Key" } ] }
                routes = [
                  { id = limited, match { path-prefix = "/limited" }, upstreams = ["http://127.0.0.1:%d"],
                    rate-limit { requests = 1, window = 60s } }
                ]
                """.formatted(log.toString().replace("\\", "/"), upstream.port()));

        assertThat(get("/limited/a?token=secret", "alice").status()).isEqualTo(200);
        assertThat(get("/limited/b", "alice").status()).isEqualTo(429);
        assertThat(get("/nowhere", null).status()).isEqualTo(404);

        List<String> lines = lines(log, 3);
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0))
                .startsWith("{\"time\":\"")
                .contains("\"route\":\"limited\"", "\"method\":\"GET\"", "\"path\":\"/limited/a\"", "\"status\":200",
                        "\"identity\":\"" + ALICE_HASH + "\"", "\"upstream\":\"127.0.0.1:" + upstream.port() + "\"",
                        "\"attempts\":1", "\"hedged\":false", "\"limiter\":\"allowed\"", "\"duration_ms\":")
                .doesNotContain("secret").doesNotContain("alice");
        assertThat(lines.get(1)).contains("\"route\":\"limited\"", "\"status\":429", "\"identity\":\"" + ALICE_HASH + "\"",
                "\"upstream\":null", "\"limiter\":\"denied\"");
        assertThat(lines.get(2)).contains("\"route\":null", "\"path\":\"/nowhere\"", "\"status\":404",
                "\"limiter\":null");
        assertThat(gateway.admin("/metrics").body()).contains("gateway_access_log_dropped_total 0.0");
    }

    @Test
    void identitiesArePlainOnlyWhenTheOperatorSaysSo() throws Exception {
        upstream = MockUpstream.builder().name("up").start();
        Path log = directory.resolve("plain.log");
        gateway = TestGateway.start("""
                access-log { enabled = true, path = "%s", identity = plain }
                identity { sources = [ { type = header, name = "X-API-Key" } ] }
                routes = [
                  { id = limited, match { path-prefix = "/limited" }, upstreams = ["http://127.0.0.1:%d"],
                    rate-limit { requests = 5, window = 60s } }
                ]
                """.formatted(log.toString().replace("\\", "/"), upstream.port()));

        assertThat(get("/limited/a", "alice").status()).isEqualTo(200);

        assertThat(lines(log, 1).get(0)).contains("\"identity\":\"alice\"");
    }

    @Test
    void offByDefaultWritesNothing() throws Exception {
        upstream = MockUpstream.builder().name("up").start();
        gateway = TestGateway.start("routes = [" + TestGateway.route("all", "/", upstream.port()) + "]");

        assertThat(get("/x", null).status()).isEqualTo(200);
        assertThat(gateway.admin("/metrics").body()).contains("gateway_access_log_dropped_total 0.0");
    }

    @Test
    void connectionGaugesCountClientAndUpstreamConnections() throws Exception {
        upstream = MockUpstream.builder().name("up").start();
        gateway = TestGateway.start("routes = [" + TestGateway.route("all", "/", upstream.port()) + "]");

        try (RawHttpConnection connection = new RawHttpConnection(gateway.port())) {
            connection.send("GET /x HTTP/1.1\r\nHost: a\r\n\r\n");
            assertThat(connection.read().status()).isEqualTo(200);
            String label = "upstream=\"127.0.0.1:" + upstream.port() + "\"";
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(gateway.admin("/metrics").body())
                    .contains("gateway_open_connections 1.0")
                    .contains("gateway_upstream_connections{" + label + ",state=\"idle\",} 1.0")
                    .contains("gateway_upstream_connections{" + label + ",state=\"active\",} 0.0"));
        }
    }
}
