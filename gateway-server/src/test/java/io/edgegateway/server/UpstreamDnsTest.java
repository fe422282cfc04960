package io.edgegateway.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.edgegateway.loadtest.upstream.MockUpstream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * An upstream named by host name follows its addresses: the name moves from 127.0.0.2 to
 * 127.0.0.3 in {@code /etc/hosts} (restored afterwards) and requests move with it.
 */
class UpstreamDnsTest {

    private static final Path HOSTS = Path.of("/etc/hosts");
    private static final String NAME = "upstream-dns-test.internal";

    private MockUpstream first;
    private MockUpstream second;
    private TestGateway gateway;

    @AfterEach
    void stop() throws IOException {
        point(null);
        if (gateway != null) {
            gateway.close();
        }
        if (first != null) {
            first.close();
        }
        if (second != null) {
            second.close();
        }
    }

    @Test
    void requestsFollowTheNameToItsNewAddress() throws Exception {
        first = MockUpstream.builder().host("127.0.0.2").name("first").start();
        second = MockUpstream.builder().host("127.0.0.3").port(first.port()).name("second").start();
        point("127.0.0.2");
        gateway = TestGateway.start("upstream { dns-refresh = 100ms }\n"
                + "routes = [{ id = named, match { path-prefix = \"/\" }, upstreams = [\"http://" + NAME + ":"
                + first.port() + "\"] }]");
        assertThat(gateway.get("/a").headers().firstValue("x-upstream")).hasValue("first");

        point("127.0.0.3");

        await().atMost(Duration.ofSeconds(20)).until(() ->
                gateway.get("/b").headers().firstValue("x-upstream").orElse("").equals("second"));
        assertThat(gateway.get("/c").statusCode()).isEqualTo(200);
        assertThat(gateway.admin("/metrics").body())
                .contains("gateway_upstream_healthy{route=\"named\",upstream=\"" + NAME + ":" + first.port() + "\",} 1.0");
    }

    /** Writes this test's line for {@link #NAME} (or removes it, for null), leaving every other line as it was. */
    private static void point(String address) throws IOException {
        List<String> others = Files.readAllLines(HOSTS).stream()
                .filter(line -> !line.endsWith(" " + NAME))
                .collect(Collectors.toList());
        if (address != null) {
            others.add(address + " " + NAME);
        }
        Files.writeString(HOSTS, String.join("\n", others) + "\n");
    }
}
