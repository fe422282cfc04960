package io.edgegateway.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.edgegateway.loadtest.upstream.MockUpstream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A client that goes away mid-exchange (an HTTP/2 stream reset after its HEADERS) leaves its
 * upstream connection to be drained back into the pool, unless the upstream was still waiting for
 * the request's body.
 */
class ResetStreamReuseTest {

    private MockUpstream upstream;
    private TestGateway gateway;

    @BeforeEach
    void start() throws Exception {
        upstream = MockUpstream.builder().name("up").start();
        gateway = TestGateway.start("routes = [" + TestGateway.route("up", "/", upstream.port()) + "]");
    }

    @AfterEach
    void stop() {
        gateway.close();
        upstream.close();
    }

    @Test
    void resetStreamsCostTheUpstreamNoMoreConnectionsThanTheirConcurrency() throws Exception {
        int concurrent = 10;
        int rounds = 5;
        try (H2cTestClient client = new H2cTestClient(gateway.port())) {
            for (int round = 1; round <= rounds; round++) {
                List<H2cTestClient.Stream> streams = new ArrayList<>();
                for (int i = 0; i < concurrent; i++) {
                    streams.add(client.get("/reset/" + round + "/" + i + "?delay=500ms"));
                }
                int sent = round * concurrent;
                await().atMost(Duration.ofSeconds(10)).until(() -> upstream.recordedRequests().size() == sent);

                streams.forEach(H2cTestClient.Stream::cancel);

                // Each ends drained back into the pool (or, reset too late, answered whole).
                await().atMost(Duration.ofSeconds(10)).until(() -> drained("reused") + answered() == sent);
            }
            H2cTestClient.Stream next = client.get("/next");
            assertThat(next.status.get(10, TimeUnit.SECONDS)).isEqualTo("200");
        }
        assertThat(drained("reused")).isPositive();
        assertThat(drained("closed")).isZero();
        assertThat(upstream.connectionsAccepted()).isLessThanOrEqualTo(concurrent);
    }

    @Test
    void aRequestWhoseBodyWasNotSentWholeHasItsConnectionClosed() throws Exception {
        try (RawHttpConnection leaving = new RawHttpConnection(gateway.port())) {
            leaving.send("POST /upload HTTP/1.1\r\nHost: a\r\nContent-Length: 1000000\r\n\r\n" + "x".repeat(100_000));
            await().atMost(Duration.ofSeconds(10)).until(() -> upstream.connectionsOpen() == 1);
        }

        await().atMost(Duration.ofSeconds(10)).until(() -> upstream.connectionsOpen() == 0);
        assertThat(gateway.get("/after").statusCode()).isEqualTo(200);
        assertThat(upstream.connectionsAccepted()).isEqualTo(2);
        assertThat(drained("reused") + drained("closed")).isZero();
    }

    private double drained(String result) throws Exception {
        return metric("gateway_upstream_drains_total\\{result=\"" + result + "\",?\\}");
    }

    private double answered() throws Exception {
        return metric("gateway_requests_total\\{route=\"up\",method=\"GET\",code=\"200\",?\\}");
    }

    private double metric(String pattern) throws Exception {
        Matcher matcher = Pattern.compile("(?m)^" + pattern + " (\\S+)$").matcher(gateway.admin("/metrics").body());
        return matcher.find() ? Double.parseDouble(matcher.group(1)) : 0;
    }
}
