package io.edgegateway.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgegateway.loadtest.upstream.MockUpstream;
import io.edgegateway.testkit.RedisServer;
import io.prometheus.client.Collector;
import io.prometheus.client.CollectorRegistry;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.RepeatedTest;

/**
 * Two gateways started side by side against two fresh Redis shards, and at once, before either is
 * ready, eight clients on one identity spread over both: every decision is made by the store (no
 * store error, no fail-open), and exactly the limit is allowed. What a rolling deploy under traffic
 * does; the first connections' handshakes are bounded by the connect timeout, not by the 50 ms
 * command timeout, and decisions wait for connections still opening.
 */
class RedisSideBySideStartTest {

    private static final int LIMIT = 40;
    private static final int CLIENTS = 8;
    private static final int REQUESTS_PER_CLIENT = 25;

    private MockUpstream upstream;
    private RedisServer first;
    private RedisServer second;
    private final List<GatewayServer> gateways = Collections.synchronizedList(new ArrayList<>());
    private ExecutorService clients;

    @BeforeEach
    void start() {
        upstream = MockUpstream.builder().name("up").start();
        first = RedisServer.launch();
        second = RedisServer.launch();
        clients = Executors.newFixedThreadPool(CLIENTS + 2);
    }

    @AfterEach
    void stop() {
        clients.shutdownNow();
        gateways.forEach(GatewayServer::close);
        upstream.close();
        first.close();
        second.close();
    }

    @RepeatedTest(3)
    void startedTogetherUnderImmediateLoadNothingFailsOpenAndNothingPassesTheLimit() throws Exception {
        String body = """
                identity { sources = [ { type = header, name = "X-API-Key" } ] }
                rate-limit {
                  store = redis
                  on-store-failure = fail-open
                  redis {
                    shards = [ "%s", "%s" ]
                    command-timeout = 50ms
                    circuit-breaker { failure-threshold = 3, open-for = 5s }
                  }
                }
                routes = [ { id = api, match { path-prefix = "/" }, upstreams = ["http://127.0.0.1:%d"],
                             rate-limit { requests = %d, window = 60s } } ]
                """.formatted(first.uri(), second.uri(), upstream.port(), LIMIT);
        List<CompletableFuture<GatewayServer>> starting = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            starting.add(CompletableFuture.supplyAsync(() -> {
                try {
                    GatewayServer server = GatewayServer.start(TestGateway.config(body), 2);
                    gateways.add(server);
                    return server;
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }, clients));
        }
        List<GatewayServer> started = new ArrayList<>();
        for (CompletableFuture<GatewayServer> gateway : starting) {
            started.add(gateway.join());
        }

        AtomicInteger allowed = new AtomicInteger();
        AtomicInteger denied = new AtomicInteger();
        List<Integer> others = Collections.synchronizedList(new ArrayList<>());
        List<CompletableFuture<Void>> load = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            GatewayServer via = started.get(c % 2);
            load.add(CompletableFuture.runAsync(() -> {
                for (int r = 0; r < REQUESTS_PER_CLIENT; r++) {
                    int status = get(via);
                    if (status == 200) {
                        allowed.incrementAndGet();
                    } else if (status == 429) {
                        denied.incrementAndGet();
                    } else {
                        others.add(status);
                    }
                }
            }, clients));
        }
        load.forEach(CompletableFuture::join);

        assertThat(others).as("answers other than 200 and 429").isEmpty();
        for (GatewayServer gateway : started) {
            CollectorRegistry registry = gateway.metrics().registry();
            assertThat(sum(registry, "gateway_ratelimit_store_errors_total")).as("store errors").isZero();
            Double failOpen = registry.getSampleValue("gateway_ratelimit_decisions_total",
                    new String[] {"route", "decision"}, new String[] {"api", "fail_open"});
            assertThat(failOpen == null ? 0 : failOpen).as("fail-open decisions").isZero();
        }
        assertThat(allowed.get()).as("allowed of " + CLIENTS * REQUESTS_PER_CLIENT).isEqualTo(LIMIT);
        assertThat(denied.get()).isEqualTo(CLIENTS * REQUESTS_PER_CLIENT - LIMIT);
    }

    private static int get(GatewayServer gateway) {
        try {
            return TestGateway.client().send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + gateway.port() + "/"))
                    .header("X-API-Key", "one-identity").timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static double sum(CollectorRegistry registry, String sample) {
        double total = 0;
        for (Collector.MetricFamilySamples family : Collections.list(registry.metricFamilySamples())) {
            for (Collector.MetricFamilySamples.Sample s : family.samples) {
                if (s.name.equals(sample)) {
                    total += s.value;
                }
            }
        }
        return total;
    }
}
