package io.edgegateway.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.edgegateway.loadtest.upstream.MockUpstream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A route whose upstream turns slow past {@code p99-above}: the gateway starts answering some
 * requests 503 overloaded itself, and stops once the upstream is fast again.
 */
class LoadSheddingTest {

    private MockUpstream upstream;
    private TestGateway gateway;

    @AfterEach
    void stop() {
        gateway.close();
        upstream.close();
    }

    /** Sends {@code count} requests at once and returns their answers. */
    private List<HttpResponse<String>> burst(String pathAndQuery, int count) {
        List<CompletableFuture<HttpResponse<String>>> sent = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            sent.add(TestGateway.client().sendAsync(HttpRequest.newBuilder(gateway.uri(pathAndQuery))
                    .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString()));
        }
        return sent.stream().map(CompletableFuture::join).toList();
    }

    private static long shed(List<HttpResponse<String>> answers) {
        return answers.stream().filter(answer -> answer.statusCode() == 503).count();
    }

    @Test
    void shedsWhileTheRouteIsSlowAndStopsAfterItRecovers() throws Exception {
        upstream = MockUpstream.builder().name("up").start();
        gateway = TestGateway.start("routes = [{ id = shedding, match { path-prefix = \"/\" }, "
                + "upstreams = [\"http://127.0.0.1:" + upstream.port() + "\"], "
                + "load-shedding { p99-above = 50ms, window = 1s, min-samples = 20 } }]");

        await().atMost(Duration.ofSeconds(60)).pollDelay(Duration.ZERO).until(() -> shed(burst("/?delay=200ms", 30)) > 0);

        HttpResponse<String> refused = burst("/?delay=200ms", 30).stream()
                .filter(answer -> answer.statusCode() == 503).findFirst().orElseThrow();
        assertThat(refused.body()).isEqualTo("{\"error\":\"overloaded\"}");
        assertThat(refused.headers().firstValue("retry-after")).hasValue("1");
        long servedBefore = upstream.requestsServed();

        // Fast again: the shed fraction steps down until every request goes through.
        await().atMost(Duration.ofSeconds(60)).pollDelay(Duration.ZERO).until(() -> shed(burst("/?delay=1ms", 30)) == 0
                && shed(burst("/?delay=1ms", 30)) == 0 && shed(burst("/?delay=1ms", 30)) == 0);
        assertThat(upstream.requestsServed()).isGreaterThan(servedBefore);
        assertThat(gateway.admin("/metrics").body())
                .containsPattern("gateway_shed_requests_total\\{route=\"shedding\",reason=\"latency\",?\\} [1-9]");
    }

    @Test
    void aShedRequestNeverReachesTheUpstream() throws Exception {
        upstream = MockUpstream.builder().name("up").start();
        gateway = TestGateway.start("routes = [{ id = shedding, match { path-prefix = \"/\" }, "
                + "upstreams = [\"http://127.0.0.1:" + upstream.port() + "\"], "
                + "load-shedding { p99-above = 50ms, window = 1s, min-samples = 20 } }]");

        long answered = 0;
        long shedCount = 0;
        while (shedCount == 0) {
            List<HttpResponse<String>> answers = burst("/?delay=200ms", 30);
            shedCount = shed(answers);
            answered += answers.size() - shedCount;
            assertThat(answered).as("no shedding after many slow requests").isLessThan(10_000);
        }

        long forwarded = answered;
        await().atMost(Duration.ofSeconds(10)).until(() -> upstream.requestsServed() == forwarded);
    }
}
