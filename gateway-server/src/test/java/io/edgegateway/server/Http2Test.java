package io.edgegateway.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.edgegateway.loadtest.upstream.MockUpstream;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * HTTP/2 towards clients in clear text (h2c with prior knowledge), with real clients: curl, h2load
 * and nghttp from Debian's packages, and a bare Netty client for resets, GOAWAY and flow control.
 */
class Http2Test {

    private static final long HUNDRED_MB = 100L << 20;

    private MockUpstream upstream;
    private TestGateway gateway;

    private void start(String extra) throws Exception {
        upstream = MockUpstream.builder().name("h2-upstream").start();
        gateway = TestGateway.start("""
                identity { sources = [ { type = header, name = "X-API-Key" }, { type = client-ip } ] }
                routes = [
                  { id = open, match { path-prefix = "/" }, upstreams = ["http://127.0.0.1:%1$d"], timeouts { response = 60s } }
                  { id = limited, match { path-prefix = "/limited" }, upstreams = ["http://127.0.0.1:%1$d"],
                    rate-limit { requests = 3, window = 60s } }
                ]
                %2$s
                """.formatted(upstream.port(), extra));
    }

    @AfterEach
    void stop() {
        gateway.close();
        upstream.close();
    }

    private String url(String path) {
        return "http://127.0.0.1:" + gateway.port() + path;
    }

    @Test
    void curlWithPriorKnowledgeIsProxiedToHttp11() throws Exception {
        start("");

        ExternalCommand curl = ExternalCommand.run("curl", "-sS", "--http2-prior-knowledge", "-o", "/dev/null",
                "-w", "%{http_code} %{http_version}", url("/echo"));

        assertThat(curl.output()).isEqualTo("200 2");
        var seen = upstream.lastRequest().orElseThrow();
        assertThat(seen.header("x-forwarded-proto")).isEqualTo("http");
        assertThat(seen.header("host")).isEqualTo("127.0.0.1:" + gateway.port());
        assertThat(seen.headers("x-http2-stream-id")).isEmpty();
    }

    @Test
    void aConnectionThatSaysNothingIsClosedAfterTheIdleTimeout() throws Exception {
        start("limits.idle-timeout = 500ms");
        try (Socket silent = new Socket("127.0.0.1", gateway.port())) {
            silent.setSoTimeout(30_000);
            // Not a byte, so not known to be HTTP/1.1 or HTTP/2: still closed, not held open.
            assertThat(silent.getInputStream().read()).isEqualTo(-1);
        }
    }

    @Test
    void eachStreamIsRateLimitedLikeARequest() throws Exception {
        start("");

        // Five requests one after the other, each a stream of the same connection.
        ExternalCommand h2load = ExternalCommand.run("h2load", "-n", "5", "-c", "1", "-m", "1", "-H", "X-API-Key: alice",
                url("/limited/1"));

        assertThat(h2load.output()).as(h2load.output()).contains("status codes: 3 2xx, 0 3xx, 2 4xx, 0 5xx");
        assertThat(upstream.requestsServed()).isEqualTo(3);

        ExternalCommand denied = ExternalCommand.run("curl", "-sS", "--http2-prior-knowledge", "-H", "X-API-Key: alice",
                "-D", "-", url("/limited/6"));
        assertThat(denied.output()).contains("HTTP/2 429", "retry-after:", "ratelimit-policy: \"limited\";q=3;w=60",
                "{\"error\":\"rate_limited\"}");
    }

    @Test
    void manyConcurrentStreamsOnFewConnectionsAllGetTheirAnswers() throws Exception {
        start("");

        ExternalCommand h2load = ExternalCommand.run("h2load", "-n", "2000", "-c", "2", "-m", "100", url("/many?delay=2ms"));

        assertThat(h2load.output()).as(h2load.output()).contains("2000 succeeded", "status codes: 2000 2xx");
        assertThat(upstream.requestsServed()).isEqualTo(2000);
    }

    @Test
    void streamsAreHedgedLikeRequests() throws Exception {
        try (MockUpstream slow = MockUpstream.builder().name("slow").latency("fixed:20s").start()) {
            upstream = MockUpstream.builder().name("fast").start();
            gateway = TestGateway.start("""
                    routes = [ { id = hedged, match { path-prefix = "/" }, timeouts { response = 30s },
                                 upstreams = ["http://127.0.0.1:%d", "http://127.0.0.1:%d"],
                                 hedge { after = 50ms, max-extra-percent = 100 } } ]
                    """.formatted(slow.port(), upstream.port()));

            ExternalCommand h2load = ExternalCommand.run("h2load", "-n", "6", "-c", "1", "-m", "6", url("/hedged"));

            assertThat(h2load.output()).as(h2load.output()).contains("status codes: 6 2xx");
            assertThat(upstream.requestsServed()).as("every answer came from the fast instance").isEqualTo(6);
            assertThat(gateway.admin("/metrics").body()).containsPattern("gateway_hedge_wins_total\\{route=\"hedged\",?\\} [1-9]");
        }
    }

    @Test
    void theSettingsBoundStreamsFramesAndHeaders() throws Exception {
        start("""
                limits { max-header-bytes = 4k }
                listen.http2 { max-concurrent-streams = 7, max-frame-size = 32k, initial-window-size = 128k }
                """);

        ExternalCommand nghttp = ExternalCommand.run("nghttp", "-nv", url("/"));
        assertThat(nghttp.output()).contains("SETTINGS_MAX_CONCURRENT_STREAMS(0x03):7",
                "SETTINGS_MAX_FRAME_SIZE(0x05):32768", "SETTINGS_INITIAL_WINDOW_SIZE(0x04):131072",
                "SETTINGS_MAX_HEADER_LIST_SIZE(0x06):4096");
        long served = upstream.requestsServed();

        ExternalCommand tooBig = ExternalCommand.run("curl", "-sS", "--http2-prior-knowledge", "-o", "/dev/null",
                "-w", "%{http_code}", "-H", "X-Big: " + "a".repeat(6000), url("/"));
        assertThat(tooBig.output()).isEqualTo("431");
        assertThat(upstream.requestsServed()).isEqualTo(served);
    }

    @Test
    void aResetStreamCancelsItsUpstreamRequestAndTheConnectionGoesOn() throws Exception {
        start("");
        try (H2cTestClient client = new H2cTestClient(gateway.port())) {
            H2cTestClient.Stream slow = client.get("/slow?delay=60s");
            await().atMost(Duration.ofSeconds(10)).until(() -> upstream.connectionsOpen() == 1);

            slow.cancel();

            // Drained for a while, the abandoned upstream connection is closed: its answer is too late.
            await().atMost(Duration.ofSeconds(10)).until(() -> upstream.connectionsOpen() == 0);
            H2cTestClient.Stream next = client.get("/next");
            assertThat(next.status.get(10, TimeUnit.SECONDS)).isEqualTo("200");
            assertThat(next.ended.get(10, TimeUnit.SECONDS)).isNotNegative();
        }
    }

    @Test
    void drainSendsGoAwayFinishesTheOpenStreamAndCloses() throws Exception {
        start("");
        try (H2cTestClient client = new H2cTestClient(gateway.port())) {
            H2cTestClient.Stream inFlight = client.get("/slow?delay=1s");
            await().atMost(Duration.ofSeconds(10)).until(() -> upstream.connectionsOpen() == 1);

            CompletableFuture<Boolean> drained = CompletableFuture.supplyAsync(() -> {
                try {
                    return gateway.server().drain(Duration.ofSeconds(30));
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });

            assertThat(client.goAway().get(10, TimeUnit.SECONDS)).as("last stream id").isEqualTo(3L);
            assertThat(inFlight.status.get(10, TimeUnit.SECONDS)).isEqualTo("200");
            inFlight.ended.get(10, TimeUnit.SECONDS);
            client.closed().get(30, TimeUnit.SECONDS);
            assertThat(drained.get(30, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void aStreamWhoseClientStopsReadingStopsItsUpstreamAndThenGetsEveryByte() throws Exception {
        start("");
        try (H2cTestClient client = new H2cTestClient(gateway.port())) {
            H2cTestClient.Stream download = client.get("/big?bytes=" + HUNDRED_MB);
            download.reading(false);
            assertThat(download.status.get(10, TimeUnit.SECONDS)).isEqualTo("200");

            // The client's window runs out and is not given back: the gateway stops reading the upstream.
            AtomicLong last = new AtomicLong(-1);
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                    .until(() -> last.getAndSet(upstream.bytesSent()) == upstream.bytesSent());
            assertThat(upstream.bytesSent()).isLessThan(HUNDRED_MB / 4);

            download.reading(true);
            assertThat(download.ended.get(60, TimeUnit.SECONDS)).isEqualTo(HUNDRED_MB);
        }
    }
}
