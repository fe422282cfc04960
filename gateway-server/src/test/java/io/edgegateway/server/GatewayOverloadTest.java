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
 * loop serves again once it has caught up.
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
        EventLoop loop = server.workers().next();
        AtomicBoolean stalling = new AtomicBoolean(true);
        loop.execute(new Runnable() {
            @Override
            public void run() {
                long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(60);
                while (System.nanoTime() < until) {
                    Thread.onSpinWait();
                }
                if (stalling.get()) {
                    loop.schedule(this, 1, TimeUnit.MILLISECONDS);
                }
            }
        });
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
