package io.edgegateway.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgegateway.loadtest.upstream.MockUpstream;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Real clients on the default flood limits: bursts of multiplexed requests, and downloads through
 * small flow-control windows (a WINDOW_UPDATE for every few DATA frames) are never taken for a flood.
 */
class Http2LegitimateTrafficTest {

    private static MockUpstream upstream;
    private static TestGateway gateway;

    @BeforeAll
    static void start() throws Exception {
        upstream = MockUpstream.builder().name("legit-upstream").start();
        gateway = TestGateway.start("routes = [ " + TestGateway.route("all", "/", upstream.port()) + " ]");
    }

    @AfterAll
    static void stop() {
        gateway.close();
        upstream.close();
    }

    private static String url(String path) {
        return "http://127.0.0.1:" + gateway.port() + path;
    }

    @Test
    void aBurstOfMultiplexedRequestsIsServed() throws Exception {
        ExternalCommand h2load = ExternalCommand.run("h2load", "-n", "5000", "-c", "2", "-m", "100", url("/burst"));

        assertThat(h2load.output()).as(h2load.output()).contains("5000 succeeded", "status codes: 5000 2xx");
    }

    @Test
    void downloadsThroughSmallWindowsAreServed() throws Exception {
        // 64 KB windows for each stream and the connection: 25 x 2 MB means thousands of WINDOW_UPDATEs.
        ExternalCommand h2load = ExternalCommand.run("h2load", "-n", "25", "-c", "1", "-m", "5", "-w", "16", "-W", "16",
                url("/big?bytes=2000000"));

        assertThat(h2load.output()).as(h2load.output()).contains("25 succeeded", "status codes: 25 2xx");
    }

    @Test
    void nettysOwnClientWithItsDefaultWindowsDownloadsInFull() throws Exception {
        long bytes = 50L << 20;
        try (H2cTestClient client = new H2cTestClient(gateway.port())) {
            H2cTestClient.Stream download = client.get("/big?bytes=" + bytes);

            assertThat(download.ended.get(60, TimeUnit.SECONDS)).isEqualTo(bytes);
            assertThat(client.goAway()).isNotDone();
        }
    }
}
