package io.edgegateway.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.edgegateway.testkit.TestCertificate;
import io.netty.handler.codec.http2.Http2Error;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code h2c://} and {@code h2://} upstreams, against an HTTP/2-only server on Netty's codec that
 * counts its connections and streams: requests from HTTP/1.1 and HTTP/2 clients are streams of one
 * multiplexed connection per event loop, a full connection makes another, a slow client stalls only
 * its own stream, and a reset on either side ends that one request only.
 */
class Http2UpstreamTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;
    private H2Upstream upstream;
    private GatewayServer gateway;

    @AfterEach
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
        if (upstream != null) {
            upstream.close();
        }
    }

    /** A gateway with one event loop, so every client connection shares that loop's upstream pool. */
    private void start(String upstreamUri, String extra) throws Exception {
        startRoute("\"" + upstreamUri + "\"", "", extra);
    }

    private void startRoute(String upstreams, String routeKeys, String extra) throws Exception {
        gateway = GatewayServer.start(TestGateway.config("""
                routes = [ { id = h2, match { path-prefix = "/" }, upstreams = [%s], retries = off, timeouts { response = 60s } %s } ]
                %s
                """.formatted(upstreams, routeKeys, extra)), 1);
        await().atMost(WAIT).until(gateway::isReady);
    }

    private CompletableFuture<HttpResponse<String>> getAsync(String path) {
        return TestGateway.client().sendAsync(HttpRequest.newBuilder(
                        java.net.URI.create("http://127.0.0.1:" + gateway.port() + path)).timeout(WAIT).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path) throws Exception {
        return getAsync(path).get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    @Test
    void requestsOverHttp11AndH2AreStreamsOfOneUpstreamConnection() throws Exception {
        upstream = H2Upstream.cleartext(0);
        start("h2c://127.0.0.1:" + upstream.port(), "");

        List<CompletableFuture<HttpResponse<String>>> http11 = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            http11.add(getAsync("/hold/" + i));
        }
        try (H2cTestClient h2 = new H2cTestClient(gateway.port())) {
            H2cTestClient.Stream first = h2.get("/hold/h2-a");
            H2cTestClient.Stream second = h2.get("/hold/h2-b");
            await().atMost(WAIT).until(() -> upstream.heldCount() == 5);
            assertThat(upstream.connections.get()).as("five requests open at once, one connection").isEqualTo(1);

            upstream.releaseHeld();
            for (CompletableFuture<HttpResponse<String>> response : http11) {
                HttpResponse<String> answered = response.get(WAIT.toSeconds(), TimeUnit.SECONDS);
                assertThat(answered.statusCode()).isEqualTo(200);
                assertThat(answered.body()).isEqualTo("released");
                assertThat(answered.headers().firstValue("x-upstream")).hasValue("h2");
                assertThat(answered.headers().map()).doesNotContainKey("x-http2-stream-id");
            }
            assertThat(first.status.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo("200");
            assertThat(second.ended.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo("released".length());
        }
        HttpResponse<String> after = get("/after");
        assertThat(after.body()).isEqualTo("hello /after");
        assertThat(upstream.connections.get()).isEqualTo(1);
        assertThat(upstream.streams.get()).isEqualTo(6);
        assertThat(upstream.hostsSeen).as("the client's Host is the upstream's :authority")
                .allMatch(host -> host.equals("127.0.0.1:" + gateway.port()));
    }

    @Test
    void theStreamBoundOpensASecondConnection() throws Exception {
        upstream = H2Upstream.cleartext(0);
        start("h2c://127.0.0.1:" + upstream.port(), "upstream.h2.max-concurrent-streams = 2");

        List<CompletableFuture<HttpResponse<String>>> responses = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            responses.add(getAsync("/hold/" + i));
        }
        await().atMost(WAIT).until(() -> upstream.heldCount() == 3);
        assertThat(upstream.connections.get()).isEqualTo(2);

        upstream.releaseHeld();
        for (CompletableFuture<HttpResponse<String>> response : responses) {
            assertThat(response.get(WAIT.toSeconds(), TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void theUpstreamsMaxConcurrentStreamsIsHonoured() throws Exception {
        upstream = H2Upstream.cleartext(1);
        start("h2c://127.0.0.1:" + upstream.port(), "");
        assertThat(get("/first").statusCode()).as("the first connection has the upstream's SETTINGS by now").isEqualTo(200);

        CompletableFuture<HttpResponse<String>> a = getAsync("/hold/a");
        CompletableFuture<HttpResponse<String>> b = getAsync("/hold/b");
        await().atMost(WAIT).until(() -> upstream.heldCount() == 2);
        assertThat(upstream.connections.get()).isEqualTo(2);

        upstream.releaseHeld();
        assertThat(a.get(WAIT.toSeconds(), TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        assertThat(b.get(WAIT.toSeconds(), TimeUnit.SECONDS).statusCode()).isEqualTo(200);
    }

    @Test
    void aSlowReaderStallsOnlyItsStream() throws Exception {
        upstream = H2Upstream.cleartext(0);
        start("h2c://127.0.0.1:" + upstream.port(), "");
        int size = 8 << 20;

        try (H2cTestClient slow = new H2cTestClient(gateway.port())) {
            H2cTestClient.Stream big = slow.get("/big?bytes=" + size);
            big.reading(false);
            assertThat(big.status.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo("200");

            for (int i = 0; i < 3; i++) {
                HttpResponse<String> other = get("/other/" + i);
                assertThat(other.statusCode()).isEqualTo(200);
                assertThat(other.body()).isEqualTo("hello /other/" + i);
            }
            assertThat(big.ended).as("the slow stream is still held back").isNotDone();
            assertThat(big.bodyBytes.get()).isLessThan(size);
            assertThat(upstream.connections.get()).as("the others went over the same connection").isEqualTo(1);

            big.reading(true);
            await().atMost(WAIT).failFast(() -> big.reset.isDone()).until(() -> big.ended.isDone());
            assertThat(big.ended.get()).isEqualTo(size);
        }
    }

    @Test
    void anUpstreamResetIsA502ForThatRequestOnly() throws Exception {
        upstream = H2Upstream.cleartext(0);
        start("h2c://127.0.0.1:" + upstream.port(), "");

        CompletableFuture<HttpResponse<String>> held = getAsync("/hold/x");
        await().atMost(WAIT).until(() -> upstream.heldCount() == 1);
        assertThat(get("/reset").statusCode()).isEqualTo(502);

        upstream.releaseHeld();
        assertThat(held.get(WAIT.toSeconds(), TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        assertThat(get("/next").statusCode()).isEqualTo(200);
        assertThat(upstream.connections.get()).isEqualTo(1);
    }

    @Test
    void aRefusedStreamIsTriedAgainAsItWasNeverProcessed() throws Exception {
        upstream = H2Upstream.cleartext(0);
        start("h2c://127.0.0.1:" + upstream.port(), "");

        HttpResponse<String> response = get("/refused-once");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("hello /refused-once");
        assertThat(upstream.streams.get()).isEqualTo(2);
    }

    @Test
    void aCancelledClientStreamResetsItsUpstreamStreamOnly() throws Exception {
        upstream = H2Upstream.cleartext(0);
        start("h2c://127.0.0.1:" + upstream.port(), "");

        try (H2cTestClient client = new H2cTestClient(gateway.port())) {
            H2cTestClient.Stream stream = client.get("/hold/cancelled");
            await().atMost(WAIT).until(() -> upstream.heldCount() == 1);
            stream.cancel();
            await().atMost(WAIT).until(() -> upstream.resetsReceived.contains(Http2Error.CANCEL.code()));
        }
        assertThat(get("/next").body()).isEqualTo("hello /next");
        assertThat(upstream.connections.get()).isEqualTo(1);
    }

    @Test
    void h2OverTlsIsChosenByAlpnAndVerified() throws Exception {
        TestCertificate localhost = TestCertificate.create(dir, "localhost", "localhost");
        upstream = H2Upstream.overTls(localhost);
        start("h2://localhost:" + upstream.port(), "upstream.trust-file = \"" + localhost.certFile() + "\"");

        for (int i = 0; i < 3; i++) {
            HttpResponse<String> response = get("/tls/" + i);
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("hello /tls/" + i);
        }
        assertThat(upstream.connections.get()).isEqualTo(1);
    }

    @Test
    void anUntrustedH2UpstreamIsABadGateway() throws Exception {
        TestCertificate localhost = TestCertificate.create(dir, "localhost", "localhost");
        upstream = H2Upstream.overTls(localhost);
        start("h2://localhost:" + upstream.port(), "");

        assertThat(get("/").statusCode()).isEqualTo(502);
        assertThat(upstream.streams.get()).isZero();
    }

    @Test
    void aHedgeIsAStreamOnAnotherInstanceAndTheLosingStreamIsReset() throws Exception {
        upstream = H2Upstream.cleartext(0);
        try (H2Upstream silent = H2Upstream.cleartext(0)) {
            silent.holdEverything = true;
            startRoute("\"h2c://127.0.0.1:" + silent.port() + "\", \"h2c://127.0.0.1:" + upstream.port() + "\"",
                    ", hedge { after = 20ms, max-extra-percent = 100 }", "");

            for (int i = 0; i < 4; i++) {
                HttpResponse<String> response = get("/h/" + i);
                assertThat(response.statusCode()).isEqualTo(200);
                assertThat(response.body()).isEqualTo("hello /h/" + i);
            }
            assertThat(silent.streams.get()).as("round robin sent some first tries to the silent one").isPositive();
            await().atMost(WAIT).until(() -> silent.resetsReceived.size() == silent.streams.get());
            assertThat(silent.resetsReceived).containsOnly(Http2Error.CANCEL.code());
            assertThat(silent.connections.get()).isEqualTo(1);
        }
    }

    @Test
    void aRequestBodyLargerThanTheStreamWindowGoesOutWhole() throws Exception {
        upstream = H2Upstream.cleartext(0);
        start("h2c://127.0.0.1:" + upstream.port(), "");
        byte[] body = new byte[600 * 1024];

        HttpResponse<String> response = TestGateway.client().send(HttpRequest.newBuilder(
                        java.net.URI.create("http://127.0.0.1:" + gateway.port() + "/count"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).timeout(WAIT).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("got " + body.length);
    }

    @Test
    void anH2UpstreamThatDoesNotChooseH2ByAlpnIsABadGateway() throws Exception {
        TestCertificate localhost = TestCertificate.create(dir, "localhost", "localhost");
        try (io.edgegateway.loadtest.upstream.MockUpstream mock = io.edgegateway.loadtest.upstream.MockUpstream.builder().start();
                GatewayServer http11Only = GatewayServer.start(io.edgegateway.config.ConfigLoader.parse("""
                        gateway {
                          listen { host = "127.0.0.1", port = 0, tls { cert-file = "%s", key-file = "%s" }, http2.enabled = false }
                          admin { host = "127.0.0.1", port = 0 }
                          routes = [ { id = behind, match { path-prefix = "/" }, upstreams = ["http://127.0.0.1:%d"] } ]
                        }
                        """.formatted(localhost.certFile(), localhost.keyFile(), mock.port()), "http11.conf"), 1)) {
            start("h2://localhost:" + http11Only.port(), "upstream.trust-file = \"" + localhost.certFile() + "\"");

            assertThat(get("/").statusCode()).isEqualTo(502);
            assertThat(mock.requestsServed()).isZero();
        }
    }

    @Test
    void outlierDetectionCountsFailedStreams() throws Exception {
        upstream = H2Upstream.cleartext(0);
        try (H2Upstream failing = H2Upstream.cleartext(0)) {
            failing.resetEverything = true;
            startRoute("\"h2c://127.0.0.1:" + failing.port() + "\", \"h2c://127.0.0.1:" + upstream.port() + "\"",
                    ", outlier-detection { consecutive-failures = 2, base-ejection = 10m }", "");

            for (int i = 0; i < 10 && failing.streams.get() < 2; i++) {
                get("/o/" + i);
            }
            assertThat(failing.streams.get()).isEqualTo(2);
            for (int i = 0; i < 4; i++) {
                assertThat(get("/after/" + i).statusCode()).as("the failing instance is ejected").isEqualTo(200);
            }
            assertThat(failing.streams.get()).isEqualTo(2);
        }
    }
}
