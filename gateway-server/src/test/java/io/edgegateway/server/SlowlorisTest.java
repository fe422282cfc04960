package io.edgegateway.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgegateway.loadtest.upstream.MockUpstream;
import java.io.IOException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Slowloris: a request head dribbled a byte at a time meets {@code limits.header-timeout}. */
class SlowlorisTest {

    private MockUpstream upstream;
    private TestGateway gateway;

    @BeforeEach
    void start() throws Exception {
        upstream = MockUpstream.builder().name("up").start();
        gateway = TestGateway.start("limits { header-timeout = 300ms, max-header-bytes = 1m }\n"
                + "routes = [" + TestGateway.route("up", "/", upstream.port()) + "]");
    }

    @AfterEach
    void stop() {
        gateway.close();
        upstream.close();
    }

    @Test
    void aDribbledHeadIsAnswered408WhileAnotherConnectionIsServed() throws Exception {
        try (RawHttpConnection slow = new RawHttpConnection(gateway.port());
                RawHttpConnection normal = new RawHttpConnection(gateway.port())) {
            // A whole request first: the deadline applies to each head of a keep-alive connection.
            slow.send("GET /first HTTP/1.1\r\nHost: a\r\n\r\n");
            assertThat(slow.read().status()).isEqualTo(200);
            slow.send("GET /second HTTP/1.1\r\nHost: a\r\nX-Pad: ");

            // One more byte of the head per request served on the other connection, until the gateway answers.
            int served = 0;
            while (slow.input().available() == 0 && served < 100_000) {
                normal.send("GET /normal HTTP/1.1\r\nHost: a\r\n\r\n");
                assertThat(normal.read().status()).isEqualTo(200);
                served++;
                if (!sendByte(slow)) {
                    break;
                }
            }

            RawHttpConnection.Response response = slow.read();
            assertThat(response.status()).isEqualTo(408);
            assertThat(response.bodyText()).isEqualTo("{\"error\":\"request_timeout\"}");
            assertThat(response.header("connection")).isEqualTo("close");
            assertThat(slow.readUntilClosedByServer()).isTrue();
            assertThat(served).isPositive();
        }
        assertThat(metric("gateway_client_timeouts_total\\{reason=\"header_timeout\",?\\}")).isEqualTo(1);
        assertThat(upstream.recordedRequests()).noneMatch(r -> r.path().startsWith("/second"));
    }

    @Test
    void aConnectionIdleBetweenRequestsIsLeftToTheIdleTimeout() throws Exception {
        try (RawHttpConnection idle = new RawHttpConnection(gateway.port());
                RawHttpConnection normal = new RawHttpConnection(gateway.port())) {
            idle.send("GET /first HTTP/1.1\r\nHost: a\r\n\r\n");
            assertThat(idle.read().status()).isEqualTo(200);

            // A head left unfinished on another connection meets its deadline: the idle connection has
            // been idle longer than that since.
            try (RawHttpConnection partial = new RawHttpConnection(gateway.port())) {
                partial.send("GET /partial HTTP/1.1\r\n");
                assertThat(partial.read().status()).isEqualTo(408);
            }

            idle.send("GET /second HTTP/1.1\r\nHost: a\r\n\r\n");
            assertThat(idle.read().status()).isEqualTo(200);
        }
    }

    private static boolean sendByte(RawHttpConnection connection) {
        try {
            connection.send("a");
            return true;
        } catch (IOException closedByGateway) {
            return false;
        }
    }

    private double metric(String pattern) throws Exception {
        Matcher matcher = Pattern.compile("(?m)^" + pattern + " (\\S+)$").matcher(gateway.admin("/metrics").body());
        return matcher.find() ? Double.parseDouble(matcher.group(1)) : 0;
    }
}
