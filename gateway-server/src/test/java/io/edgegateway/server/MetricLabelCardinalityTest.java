package io.edgegateway.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgegateway.loadtest.upstream.MockUpstream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Clients choose request methods and upstreams choose status codes; neither may grow the
 * {@code /metrics} scrape: both fold into {@code _OTHER}.
 */
class MetricLabelCardinalityTest {

    private static final int REQUESTS = 3_000;
    private static final Pattern REQUEST_SERIES = Pattern.compile("(?m)^gateway_requests_total\\{([^}]*)} (\\S+)$");

    static MockUpstream upstream;
    static ServerSocket oddStatus;
    static TestGateway gateway;

    @BeforeAll
    static void start() throws Exception {
        upstream = MockUpstream.builder().name("up").start();
        oddStatus = new ServerSocket(0);
        Thread odd = new Thread(MetricLabelCardinalityTest::answerWithStatus999, "odd-status-upstream");
        odd.setDaemon(true);
        odd.start();
        gateway = TestGateway.start("routes = [" + TestGateway.route("ok", "/ok", upstream.port()) + ", "
                + TestGateway.route("odd", "/odd", oddStatus.getLocalPort()) + "]");
    }

    /** An upstream whose every answer has a status code outside 100..599. */
    private static void answerWithStatus999() {
        while (!oddStatus.isClosed()) {
            try (Socket socket = oddStatus.accept()) {
                InputStream in = socket.getInputStream();
                int matched = 0;
                int b;
                while (matched < 4 && (b = in.read()) != -1) {
                    matched = b == "\r\n\r\n".charAt(matched) ? matched + 1 : (b == '\r' ? 1 : 0);
                }
                socket.getOutputStream().write(
                        "HTTP/1.1 999 Odd\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            } catch (IOException e) {
                // closed at the end of the class
            }
        }
    }

    @AfterAll
    static void stop() throws IOException {
        gateway.close();
        upstream.close();
        oddStatus.close();
    }

    @Test
    void randomMethodsCountAsOtherAndKeepTheScrapeSmall() throws Exception {
        try (RawHttpConnection connection = new RawHttpConnection(gateway.port())) {
            assertThat(connection.send("GET /ok/warm HTTP/1.1\r\nHost: a\r\n\r\n").read().status()).isEqualTo(200);
            assertThat(connection.send("FIRST /ok/warm HTTP/1.1\r\nHost: a\r\n\r\n").read().status()).isEqualTo(200);
            assertThat(connection.send("FIRST /nowhere HTTP/1.1\r\nHost: a\r\n\r\n").read().status()).isEqualTo(404);
        }
        int sizeBefore = scrape().length();

        Random random = new Random(42);
        try (RawHttpConnection connection = new RawHttpConnection(gateway.port())) {
            for (int i = 0; i < REQUESTS; i++) {
                String path = i % 10 == 0 ? "/nowhere" : "/ok/" + i;
                connection.send(randomMethod(random) + " " + path + " HTTP/1.1\r\nHost: a\r\n\r\n");
                assertThat(connection.read().status()).isEqualTo(i % 10 == 0 ? 404 : 200);
            }
        }

        String scrape = scrape();
        assertThat(series(scrape)).filteredOn(labels -> !labels.contains("route=\"odd\"")).containsExactlyInAnyOrder(
                "code=\"200\",method=\"GET\",route=\"ok\"",
                "code=\"200\",method=\"_OTHER\",route=\"ok\"",
                "code=\"404\",method=\"_OTHER\",route=\"none\"");
        assertThat(scrape).contains("gateway_requests_total{route=\"ok\",method=\"_OTHER\",code=\"200\",} "
                + (double) (1 + REQUESTS - REQUESTS / 10));
        assertThat(scrape).contains("gateway_requests_total{route=\"none\",method=\"_OTHER\",code=\"404\",} "
                + (double) (1 + REQUESTS / 10));
        assertThat(scrape).contains("gateway_request_duration_seconds_count{route=\"ok\",method=\"_OTHER\",} "
                + (double) (1 + REQUESTS - REQUESTS / 10));
        // The JVM's own collectors change a little between scrapes; 3,000 new series would add megabytes.
        assertThat(scrape.length()).isLessThan(sizeBefore + 16 * 1024);
    }

    @Test
    void anUpstreamStatusOutsideTheRangeCountsAsOther() throws Exception {
        assertThat(gateway.get("/odd").statusCode()).isEqualTo(999);
        assertThat(scrape()).contains("gateway_requests_total{route=\"odd\",method=\"GET\",code=\"_OTHER\",} 1.0");
    }

    private static String scrape() throws Exception {
        return gateway.admin("/metrics").body();
    }

    /** The label sets of {@code gateway_requests_total}, each with its labels in name order. */
    private static java.util.List<String> series(String scrape) {
        java.util.List<String> labels = new java.util.ArrayList<>();
        Matcher matcher = REQUEST_SERIES.matcher(scrape);
        while (matcher.find()) {
            labels.add(sorted(matcher.group(1)));
        }
        return labels;
    }

    private static String sorted(String labels) {
        return String.join(",", java.util.Arrays.stream(labels.split(",")).filter(label -> !label.isEmpty()).sorted().toList());
    }

    private static String randomMethod(Random random) {
        char[] method = new char[8];
        for (int i = 0; i < method.length; i++) {
            method[i] = (char) ('A' + random.nextInt(26));
        }
        return new String(method);
    }
}
