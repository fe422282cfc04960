package io.edgegateway.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.edgegateway.loadtest.upstream.MockUpstream;
import java.net.http.HttpResponse;
import io.netty.channel.EventLoop;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The gateway protecting itself: requests read while its event loop is far behind its schedule are
 * refused with 503 {@code overloaded} before routing, counted apart from latency shedding, and the
 * loop serves again once it has caught up; meanwhile a refused connection is not read and new ones
 * are not accepted.
 */
class GatewayOverloadTest {

    private MockUpstream upstream;
    private GatewayServer server;

    @AfterEach
    void stop() {
        server.close();
        upstream.close();
    }

    @Test
    void requestsReadWhileTheLoopIsBehindAreRefusedEarlyAndServedOnceItCaughtUp() throws Exception {
        upstream = MockUpstream.builder().start();
        server = GatewayServer.start(TestGateway.config("limits { max-event-loop-lag = 20ms }\nroutes = ["
                + TestGateway.route("r", "/", upstream.port()) + "]"), 1);
        String base = "http://127.0.0.1:" + server.port();
        assertThat(get(base + "/before").statusCode()).isEqualTo(200);

        // The only worker loop stalls again and again, as a saturated one does, while requests arrive;
        // past the warm-up after start, requests read while it keeps falling behind are refused.
        AtomicBoolean stalling = stall(server.workers().next(), 60);
        List<HttpResponse<String>> during = new ArrayList<>();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20)).until(() -> {
            HttpResponse<String> response = get(base + "/during/" + during.size());
            during.add(response);
            return response.statusCode() == 503;
        });
        stalling.set(false);

        HttpResponse<String> refused = during.get(during.size() - 1);
        assertThat(refused.body()).isEqualTo("{\"error\":\"overloaded\"}");
        assertThat(refused.headers().firstValue("retry-after")).hasValue("1");
        long refusals = during.stream().filter(r -> r.statusCode() == 503).count();
        assertThat(during).allMatch(r -> r.statusCode() == 200 || r.statusCode() == 503);
        assertThat(upstream.requestsServed()).as("refused requests never reached the upstream")
                .isEqualTo(1 + during.size() - refusals);
        // The loop may still be behind for the first of these (a stall already under way): refused too.
        List<HttpResponse<String>> after = new ArrayList<>();
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            HttpResponse<String> response = get(base + "/after");
            after.add(response);
            return response.statusCode() == 200;
        });
        assertThat(after).allMatch(r -> r.statusCode() == 200 || r.statusCode() == 503);
        long refusedAfter = after.stream().filter(r -> r.statusCode() == 503).count();
        assertThat(overloadRefusals()).isEqualTo(refusals + refusedAfter);
    }

    @Test
    void aRefusedConnectionAndNewOnesWaitWhileTheLoopIsBehindAndAreServedOnceItCaughtUp() throws Exception {
        startWithOneLoop();
        try (RawHttpConnection kept = new RawHttpConnection(server.port())) {
            AtomicBoolean stalling = stallUntilRefused(kept);
            long refusedAt = System.nanoTime();
            try {
                // With every loop behind, the listener stops accepting: a new connection waits in the
                // backlog. Refused, the connection is parked: its next request waits in the socket,
                // unread (sent after the scrape, it almost always comes in mid-stall, when it would be
                // refused).
                await().atMost(Duration.ofSeconds(60)).until(() -> listenerPaused() == 1);
                kept.send(request("/parked"));
                try (RawHttpConnection fresh = new RawHttpConnection(server.port())) {
                    fresh.send(request("/fresh"));
                    stalling.set(false);

                    int parkedStatus = kept.read().status();
                    if (parkedStatus == 503) {
                        // Parked no longer than the refusal's Retry-After: if the stall outlasted that (a
                        // slow machine), the request was read while the loop was still behind, and refused.
                        assertThat(System.nanoTime() - refusedAt).as("a parked connection is read again after a second, not before")
                                .isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(900));
                    } else {
                        assertThat(parkedStatus).as("the parked connection's request, once the loop caught up").isEqualTo(200);
                    }
                    assertThat(fresh.read().status()).as("the new connection's, accepted once the loop caught up")
                            .isEqualTo(200);
                }
            } finally {
                stalling.set(false);
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> listenerPaused() == 0);
        }
    }

    @Test
    void aParkedConnectionIsReadAgainAfterItsRetryAfterWhileTheLoopStaysBehind() throws Exception {
        startWithOneLoop();
        try (RawHttpConnection kept = new RawHttpConnection(server.port())) {
            AtomicBoolean stalling = stallUntilRefused(kept);
            try {
                // Still stalling: the connection is read again once it has waited the Retry-After
                // of its refusal (the socket's read timeout is 30 s), and answered either way.
                assertThat(kept.send(request("/parked")).read().status()).isIn(200, 503);
            } finally {
                stalling.set(false);
            }
        }
    }

    private void startWithOneLoop() throws Exception {
        upstream = MockUpstream.builder().start();
        server = GatewayServer.start(TestGateway.config("limits { max-event-loop-lag = 40ms }\nroutes = ["
                + TestGateway.route("r", "/", upstream.port()) + "]"), 1);
    }

    /**
     * Serves a request on {@code kept}, then stalls the one loop (see {@link #stall}) and sends
     * requests on {@code kept} until one is refused; returns the stall's flag.
     */
    private AtomicBoolean stallUntilRefused(RawHttpConnection kept) throws Exception {
        assertThat(kept.send(request("/before")).read().status()).isEqualTo(200);
        AtomicBoolean stalling = stall(server.workers().next(), 100);
        int status;
        do {
            status = kept.send(request("/during")).read().status();
        } while (status == 200);
        assertThat(status).isEqualTo(503);
        return stalling;
    }

    /**
     * Keeps {@code loop} busy {@code millis} at a time with a millisecond between, as a saturated
     * loop is, until the returned flag is cleared: it runs its lateness probe late every time.
     */
    private static AtomicBoolean stall(EventLoop loop, long millis) {
        AtomicBoolean stalling = new AtomicBoolean(true);
        loop.execute(new Runnable() {
            @Override
            public void run() {
                long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
                while (System.nanoTime() < until) {
                    Thread.onSpinWait();
                }
                if (stalling.get()) {
                    loop.schedule(this, 1, TimeUnit.MILLISECONDS);
                }
            }
        });
        return stalling;
    }

    private static String request(String path) {
        return "GET " + path + " HTTP/1.1\r\nHost: gateway.test\r\n\r\n";
    }

    private double listenerPaused() throws Exception {
        String metrics = get("http://127.0.0.1:" + server.adminPort() + "/metrics").body();
        Matcher m = Pattern.compile("(?m)^gateway_listener_paused (\\S+)$").matcher(metrics);
        assertThat(m.find()).as(metrics).isTrue();
        return Double.parseDouble(m.group(1));
    }

    private HttpResponse<String> get(String uri) throws Exception {
        return TestGateway.client().send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(uri))
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private double overloadRefusals() throws Exception {
        String metrics = get("http://127.0.0.1:" + server.adminPort() + "/metrics").body();
        Matcher m = Pattern.compile("(?m)^gateway_shed_requests_total\\{route=\"none\",reason=\"gateway_overload\",?\\} (\\S+)$")
                .matcher(metrics);
        assertThat(m.find()).as(metrics).isTrue();
        return Double.parseDouble(m.group(1));
    }
}
