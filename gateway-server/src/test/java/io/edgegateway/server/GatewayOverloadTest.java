package io.edgegateway.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.edgegateway.loadtest.upstream.MockUpstream;
import java.net.http.HttpResponse;
import io.netty.channel.EventLoop;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
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

        // The only worker loop stalls again and again, as a saturated one does, while requests arrive.
        EventLoop loop = server.workers().next();
        CountDownLatch stalling = new CountDownLatch(1);
        AtomicInteger stallsLeft = new AtomicInteger(40);
        loop.execute(new Runnable() {
            @Override
            public void run() {
                stalling.countDown();
                long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(60);
                while (System.nanoTime() < until) {
                    Thread.onSpinWait();
                }
                if (stallsLeft.decrementAndGet() > 0) {
                    loop.schedule(this, 1, TimeUnit.MILLISECONDS);
                }
            }
        });
        stalling.await();
        List<CompletableFuture<HttpResponse<String>>> during = new ArrayList<>();
        while (stallsLeft.get() > 5) {
            during.add(TestGateway.client().sendAsync(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create(base + "/during/" + during.size())).timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString()));
            Thread.sleep(20);
        }
        CompletableFuture.allOf(during.toArray(CompletableFuture[]::new)).join();

        long refused = during.stream().map(CompletableFuture::join)
                .filter(r -> r.statusCode() == 503 && r.body().contains("overloaded")).count();
        assertThat(refused).as("requests read while the loop was behind").isPositive();
        assertThat(during.stream().map(CompletableFuture::join)
                .filter(r -> r.statusCode() == 503).allMatch(r -> r.headers().firstValue("retry-after").isPresent()))
                .isTrue();
        assertThat(upstream.requestsServed()).as("refused requests never reached the upstream")
                .isEqualTo(1 + during.size() - refused);
        await().atMost(Duration.ofSeconds(10)).until(() -> get(base + "/after").statusCode() == 200);
        assertThat(overloadRefusals()).isEqualTo(refused);
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
