package io.edgegateway.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgegateway.loadtest.upstream.MockUpstream;
import java.io.IOException;
import java.io.InputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class UpstreamResetTest {

    private MockUpstream upstream;
    private TestGateway gateway;

    @BeforeEach
    void start() throws Exception {
        upstream = MockUpstream.builder().name("resetting").start();
        gateway = TestGateway.start("routes = [" + TestGateway.route("all", "/", upstream.port()) + "]");
    }

    @AfterEach
    void stop() {
        gateway.close();
        upstream.close();
    }

    @Test
    void anUpstreamResetMidBodyClosesTheClientConnectionShortOfTheLength() throws Exception {
        try (RawHttpConnection connection = new RawHttpConnection(gateway.port())) {
            connection.send("GET /?bytes=1000000&reset-after=100000 HTTP/1.1\r\nHost: a\r\n\r\n");
            InputStream in = connection.input();
            String head = readHead(in);
            assertThat(head).startsWith("HTTP/1.1 200").containsIgnoringCase("content-length: 1000000");
            long received = 0;
            try {
                byte[] buffer = new byte[8192];
                int n;
                while ((n = in.read(buffer)) != -1) {
                    received += n;
                }
            } catch (IOException reset) {
                // a reset is as good a signal as an end of stream
            }
            assertThat(received).isLessThan(1_000_000);
        }
    }

    @Test
    void theGatewayKeepsServingAfterAReset() throws Exception {
        try (RawHttpConnection connection = new RawHttpConnection(gateway.port())) {
            connection.send("GET /?bytes=1000000&reset-after=1000 HTTP/1.1\r\nHost: a\r\n\r\n");
            assertThat(connection.readUntilClosedByServer()).isTrue();
        }
        assertThat(gateway.get("/").statusCode()).isEqualTo(200);
    }

    private static String readHead(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b == -1) {
                break;
            }
            head.append((char) b);
        }
        return head.toString();
    }
}
