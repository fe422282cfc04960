package io.edgegateway.server;

import static io.edgegateway.server.UpstreamRoutes.ROUTE;
import static io.edgegateway.server.UpstreamRoutes.healthy;
import static io.edgegateway.server.UpstreamRoutes.label;
import static io.edgegateway.server.UpstreamRoutes.route;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.edgegateway.loadtest.upstream.MockUpstream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Retries through a real gateway to real instances on loopback that fail in each way a route's
 * {@code retries.on} names: a stopped instance, one that never answers, one answering 503, one that
 * drops the connection once it has the body; and the budget that bounds them all.
 */
class UpstreamRetryTest {

    @RegisterExtension
    final UpstreamFixture fixture = new UpstreamFixture();
    private TestGateway gateway;

    private HttpResponse<String> post(String path, String body) throws Exception {
        return TestGateway.client().send(HttpRequest.newBuilder(gateway.uri(path))
                .POST(HttpRequest.BodyPublishers.ofString(body)).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private double retries(String reason) throws Exception {
        return MetricsScrape.of(gateway).count("gateway_retries_total", "route", ROUTE, "reason", reason);
    }

    @Test
    void aStoppedInstanceIsSkippedForEveryMethodAndEjected() throws Exception {
        int stopped = UpstreamRoutes.stoppedPort();
        MockUpstream live = fixture.mock("live");
        // route-defaults' retries: attempts = 2, on = [connect-failure]
        gateway = fixture.startGateway(route("outlier-detection { consecutive-failures = 2, base-ejection = 60s }",
                stopped, live.port()));

        for (int i = 0; i < 50; i++) {
            HttpResponse<String> response = gateway.get("/get/" + i);
            assertThat(response.statusCode()).as("GET " + i).isEqualTo(200);
            assertThat(response.headers().firstValue("x-upstream")).as("GET " + i).hasValue("live");
        }
        for (int i = 0; i < 50; i++) {
            HttpResponse<String> response = post("/post/" + i, "{\"n\":" + i + "}");
            assertThat(response.statusCode()).as("POST " + i).isEqualTo(200);
            assertThat(response.headers().firstValue("x-upstream")).as("POST " + i).hasValue("live");
        }

        assertThat(live.recordedRequests()).hasSize(100);
        assertThat(live.recordedRequests().stream().filter(r -> r.method().equals("POST")))
                .hasSize(50).allMatch(r -> r.bodyBytes() > 0);
        assertThat(retries("connect_failure")).isGreaterThan(0);
        await().atMost(Duration.ofSeconds(30)).until(() -> healthy(gateway, label(stopped)) == 0);
        assertThat(healthy(gateway, label(live.port()))).isEqualTo(1);
        assertThat(MetricsScrape.of(gateway).value("gateway_upstream_ejections_total",
                "route", ROUTE, "upstream", label(stopped), "reason", "outlier")).isEqualTo(1);
    }

    @Test
    void aTryThatGetsNoAnswerWithinItsPerTryTimeoutGoesToTheNextInstance() throws Exception {
        ScriptedUpstream silent = fixture.scripted("silent").silent();
        MockUpstream live = fixture.mock("live");
        gateway = fixture.startGateway(route("retries { attempts = 2, on = [connect-failure, timeout], per-try-timeout = 200ms }",
                silent.port(), live.port()));

        for (int i = 0; i < 12; i++) {
            HttpResponse<String> response = gateway.get("/slow/" + i);
            assertThat(response.statusCode()).as("GET " + i).isEqualTo(200);
            assertThat(response.headers().firstValue("x-upstream")).as("GET " + i).hasValue("live");
        }

        assertThat(silent.requests()).isGreaterThan(0);
        assertThat(retries("timeout")).isGreaterThan(0);
    }

    @Test
    void aRetryable503GoesToTheNextInstance() throws Exception {
        ScriptedUpstream sick = fixture.scripted("sick").answer(503);
        MockUpstream live = fixture.mock("live");
        gateway = fixture.startGateway(route("retries { on = [503] }, outlier-detection = off", sick.port(), live.port()));

        for (int i = 0; i < 20; i++) {
            HttpResponse<String> response = gateway.get("/s/" + i);
            assertThat(response.statusCode()).as("GET " + i).isEqualTo(200);
            assertThat(response.headers().firstValue("x-upstream")).as("GET " + i).hasValue("live");
        }

        assertThat(sick.requests()).isGreaterThan(0);
        assertThat(retries("status")).isEqualTo(sick.requests());
    }

    @Test
    void withRetriesOffA503IsPassedThroughAsTheUpstreamSentIt() throws Exception {
        ScriptedUpstream sick = fixture.scripted("sick").answer(503);
        MockUpstream live = fixture.mock("live");
        gateway = fixture.startGateway(route("retries = off, outlier-detection = off", sick.port(), live.port()));

        int unavailable = 0;
        for (int i = 0; i < 20; i++) {
            HttpResponse<String> response = gateway.get("/s/" + i);
            if (response.statusCode() == 503) {
                unavailable++;
                assertThat(response.body()).as("GET " + i).isEqualTo(sick.body());
                assertThat(response.headers().firstValue("x-upstream")).as("GET " + i).hasValue("sick");
            } else {
                assertThat(response.statusCode()).as("GET " + i).isEqualTo(200);
            }
        }

        assertThat(unavailable).isGreaterThan(0).isEqualTo(sick.requests());
        assertThat(retries("status")).isZero();
    }

    @Test
    void aBodyThatReachedAnInstanceIsNeverSentAgainButABodylessGetIsRetriedOnAReset() throws Exception {
        ScriptedUpstream dropping = fixture.scripted("dropping").dropAfterBody();
        ScriptedUpstream live = fixture.scripted("live");
        gateway = fixture.startGateway(route("retries { attempts = 2, on = [connect-failure, reset] }, outlier-detection = off",
                dropping.port(), live.port()));

        int posts = 20;
        int badGateway = 0;
        for (int i = 0; i < posts; i++) {
            HttpResponse<String> response = post("/p/" + i, "{\"n\":" + i + "}");
            assertThat(response.statusCode()).as("POST " + i).isIn(200, 502);
            if (response.statusCode() == 502) {
                badGateway++;
            }
        }
        assertThat(badGateway).isGreaterThan(0).isEqualTo(dropping.bodies());
        assertThat(live.bodies()).isEqualTo(posts - badGateway);
        assertThat(dropping.bodies() + live.bodies()).as("each body reached an instance once").isEqualTo(posts);
        assertThat(retries("reset")).isZero();

        int droppedBefore = dropping.requests();
        for (int i = 0; i < 10; i++) {
            HttpResponse<String> response = gateway.get("/g/" + i);
            assertThat(response.statusCode()).as("GET " + i).isEqualTo(200);
            assertThat(response.headers().firstValue("x-upstream")).as("GET " + i).hasValue("live");
        }
        assertThat(dropping.requests()).isGreaterThan(droppedBefore);
        assertThat(retries("reset")).isEqualTo(dropping.requests() - droppedBefore);
    }

    @Test
    void aPostWhoseBodyWentOutIsNotRetriedOnATimeout() throws Exception {
        ScriptedUpstream silent = fixture.scripted("silent").silent();
        ScriptedUpstream live = fixture.scripted("live");
        gateway = fixture.startGateway(route("retries { attempts = 2, on = [timeout], per-try-timeout = 200ms }, "
                + "outlier-detection = off", silent.port(), live.port()));

        int posts = 8;
        int timedOut = 0;
        for (int i = 0; i < posts; i++) {
            HttpResponse<String> response = post("/t/" + i, "{\"n\":" + i + "}");
            assertThat(response.statusCode()).as("POST " + i).isIn(200, 504);
            if (response.statusCode() == 504) {
                timedOut++;
            }
        }

        assertThat(timedOut).isGreaterThan(0).isEqualTo(silent.bodies());
        assertThat(silent.bodies() + live.bodies()).as("each body reached an instance once").isEqualTo(posts);
        assertThat(retries("timeout")).isZero();
    }

    @Test
    void theBudgetBoundsRetriesWhenEveryInstanceFails() throws Exception {
        MockUpstream a = fixture.mock("a");
        MockUpstream b = fixture.mock("b");
        gateway = fixture.startGateway(route("retries { attempts = 3, on = [503], budget-percent = 10 }, outlier-detection = off",
                a.port(), b.port()));

        int threads = 4;
        int perThread = 50;
        ExecutorService clients = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                done.add(clients.submit(() -> {
                    for (int i = 0; i < perThread; i++) {
                        assertThat(gateway.get("/b/" + thread + "/" + i + "?status=503").statusCode()).isEqualTo(503);
                    }
                    return null;
                }));
            }
            for (Future<?> client : done) {
                client.get();
            }
        } finally {
            clients.shutdownNow();
        }

        int requests = threads * perThread;
        long upstreamCalls = a.requestsServed() + b.requestsServed();
        // 10% of the requests, the floor of 3 a second over the 10-second window on each of the gateway's
        // two event loops (each keeps its own budget), a few racing retries
        assertThat(upstreamCalls).isBetween((long) requests + 1, (long) (requests + requests * 0.10 + 2 * 30 + 5));
        assertThat(retries("status")).isEqualTo(upstreamCalls - requests);
    }

    @Test
    void aRetriedRequestIsLoggedWithItsAttemptsAndEveryInstanceTried(@TempDir Path dir)
            throws Exception {
        int stopped = UpstreamRoutes.stoppedPort();
        MockUpstream live = fixture.mock("live");
        Path log = dir.resolve("access.log");
        gateway = fixture.startGateway("access-log { enabled = true, path = \"" + log.toString().replace("\\", "/") + "\" }\n"
                + route("outlier-detection = off", stopped, live.port()));

        for (int i = 0; i < 4; i++) {
            assertThat(gateway.get("/l/" + i).statusCode()).isEqualTo(200);
        }

        await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(log)
                && Files.readAllLines(log).size() >= 4);
        List<String> retried = Files.readAllLines(log).stream()
                .filter(line -> line.contains("\"attempts\":2")).toList();
        assertThat(retried).isNotEmpty().allSatisfy(line -> assertThat(line).contains(
                "\"status\":200", "\"upstream\":\"" + label(live.port()) + "\"",
                "\"upstreams\":[\"" + label(stopped) + "\",\"" + label(live.port()) + "\"]"));
    }
}
