package io.edgegateway.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgegateway.loadtest.upstream.MockUpstream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Twenty thousand requests, each with its own 12,000-character API key, against a gateway with a
 * 64 MiB heap and the in-memory store: about 240 MB of identities, which kept as they came would
 * exhaust the heap several times over. Held as digests, within max-identities, they cost a few
 * hundred kilobytes; a second client is served throughout and after, and the admin port answers.
 */
class IdentityFloodTest {

    private static final int CONNECTIONS = 4;
    private static final int REQUESTS_PER_CONNECTION = 5_000;
    private static final int PIPELINED = 32;
    private static final int KEY_LENGTH = 12_000;
    private static final int MAX_IDENTITIES = 5_000;
    private static final Pattern HELD = Pattern.compile("(?m)^gateway_ratelimit_local_identities (\\d+)\\.0$");

    @TempDir
    Path dir;

    private MockUpstream upstream;
    private GatewayProcess gateway;

    @AfterEach
    void stop() throws Exception {
        if (gateway != null) {
            gateway.close();
        }
        if (upstream != null) {
            upstream.close();
        }
    }

    @Test
    void distinctTwelveThousandCharacterKeysDoNotExhaustA64MibHeap() throws Exception {
        upstream = MockUpstream.builder().name("up").recordedRequestsLimit(1).start();
        Path accessLog = dir.resolve("access.log");
        gateway = GatewayProcess.start(dir.resolve("gateway.conf"), """
                limits.max-header-bytes = 16k
                identity { max-length = 16k, sources = [ { type = header, name = "X-API-Key" } ] }
                rate-limit.local.max-identities = %d
                access-log { enabled = true, path = "%s" }
                routes = [
                  { id = limited, match { path-prefix = "/" }, upstreams = ["http://127.0.0.1:%d"],
                    rate-limit { requests = 1000000, window = 60s } }
                ]
                """.formatted(MAX_IDENTITIES, accessLog.toString().replace("\\", "/"), upstream.port()),
                List.of("-Xmx64m"));

        ExecutorService threads = Executors.newFixedThreadPool(CONNECTIONS + 1);
        AtomicBoolean flooding = new AtomicBoolean(true);
        try {
            Future<Integer> steady = threads.submit(() -> steadyClient(flooding));
            List<Future<Map<Integer, Integer>>> floods = new ArrayList<>();
            for (int c = 0; c < CONNECTIONS; c++) {
                int connection = c;
                floods.add(threads.submit(() -> flood(connection)));
            }
            Map<Integer, Integer> statuses = new TreeMap<>();
            for (Future<Map<Integer, Integer>> flood : floods) {
                flood.get().forEach((status, count) -> statuses.merge(status, count, Integer::sum));
            }
            flooding.set(false);

            assertThat(statuses).isEqualTo(Map.of(200, CONNECTIONS * REQUESTS_PER_CONNECTION));
            assertThat(steady.get()).isGreaterThanOrEqualTo(2);
        } finally {
            flooding.set(false);
            threads.shutdownNow();
        }

        assertThat(gateway.admin("/health").statusCode()).isEqualTo(200);
        HttpResponse<String> metrics = gateway.admin("/metrics");
        assertThat(metrics.statusCode()).isEqualTo(200);
        Matcher held = HELD.matcher(metrics.body());
        assertThat(held.find()).as(metrics.body()).isTrue();
        assertThat(Integer.parseInt(held.group(1))).isBetween(1, MAX_IDENTITIES);
        assertThat(metrics.body()).doesNotContain("gateway_ratelimit_local_evictions_total 0.0");
        assertThat(gateway.process().isAlive()).isTrue();
        assertThat(gateway.output()).doesNotContain("OutOfMemoryError");
        // The keys never reach the access log: each line has a 16-digit digest.
        try (var lines = Files.lines(accessLog, StandardCharsets.UTF_8)) {
            assertThat(lines.limit(1_000)).allSatisfy(line ->
                    assertThat(line).containsPattern("\"identity\":\"[0-9a-f]{16}\"").doesNotContain("kkkkkkkk"));
        }
    }

    /** Sends this connection's share of distinct keys, {@link #PIPELINED} at a time; counts the statuses. */
    private Map<Integer, Integer> flood(int connection) throws Exception {
        Map<Integer, Integer> statuses = new TreeMap<>();
        String padding = "k".repeat(KEY_LENGTH);
        try (RawHttpConnection client = new RawHttpConnection(gateway.port())) {
            for (int sent = 0; sent < REQUESTS_PER_CONNECTION; sent += PIPELINED) {
                StringBuilder batch = new StringBuilder();
                int count = Math.min(PIPELINED, REQUESTS_PER_CONNECTION - sent);
                for (int i = 0; i < count; i++) {
                    // Keys differ only in their last characters.
                    String suffix = "-" + connection + "-" + (sent + i);
                    batch.append("GET /flood HTTP/1.1\r\nHost: a\r\nX-API-Key: ")
                            .append(padding, 0, KEY_LENGTH - suffix.length()).append(suffix).append("\r\n\r\n");
                }
                client.send(batch.toString());
                for (int i = 0; i < count; i++) {
                    statuses.merge(client.read().status(), 1, Integer::sum);
                }
            }
        }
        return statuses;
    }

    /** An ordinary client on its own connection, until the flood is over and once more after it; all must be served. */
    private int steadyClient(AtomicBoolean flooding) throws Exception {
        int served = 0;
        try (RawHttpConnection client = new RawHttpConnection(gateway.port())) {
            boolean more = true;
            while (more) {
                more = flooding.get();
                RawHttpConnection.Response response =
                        client.send("GET /steady HTTP/1.1\r\nHost: a\r\nX-API-Key: steady-client\r\n\r\n").read();
                assertThat(response.status()).isEqualTo(200);
                served++;
            }
        }
        return served;
    }
}
