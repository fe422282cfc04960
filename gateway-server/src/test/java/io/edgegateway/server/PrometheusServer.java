package io.edgegateway.server;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real Prometheus ({@code /usr/bin/prometheus}) on a loopback port the kernel picks, scraping one target
 * every second as job {@code gateway} and evaluating the repository's rules as often; its data and
 * log live in a directory the test owns.
 */
final class PrometheusServer implements AutoCloseable {

    /** An instant vector's sample values, in a query's JSON answer: {@code "value":[<time>,"<value>"]}. */
    private static final Pattern SAMPLE_VALUE = Pattern.compile("\"value\":\\[[^,\\]]+,\"([^\"]*)\"\\]");
    /** The web listener's bound address, as Prometheus logs it once listening. */
    private static final Pattern LISTENING = Pattern.compile("msg=\"Listening on\" address=127\\.0\\.0\\.1:(\\d+)");

    private final Process process;
    private final Path log;
    private final int port;

    private PrometheusServer(Process process, Path log, int port) {
        this.process = process;
        this.log = log;
        this.port = port;
    }

    /** Starts Prometheus scraping {@code 127.0.0.1:targetPort/metrics}, and waits until it is ready. */
    static PrometheusServer start(Path dir, int targetPort, List<Path> ruleFiles) throws Exception {
        Promtool.requireInstalled(Promtool.PROMETHEUS);
        StringBuilder rules = new StringBuilder();
        for (Path file : ruleFiles) {
            rules.append("  - \"").append(file.toAbsolutePath()).append("\"\n");
        }
        Path config = dir.resolve("prometheus.yml");
        Files.writeString(config, """
                global:
                  scrape_interval: 1s
                  scrape_timeout: 1s
                  evaluation_interval: 1s
                rule_files:
                %s
                scrape_configs:
                  - job_name: gateway
                    metrics_path: /metrics
                    static_configs:
                      - targets: ["127.0.0.1:%d"]
                """.formatted(rules.isEmpty() ? "  []" : rules.toString().stripTrailing(), targetPort));
        Path log = dir.resolve("prometheus.log");
        Process process = new ProcessBuilder(Promtool.PROMETHEUS.toString(),
                "--config.file=" + config,
                "--storage.tsdb.path=" + dir.resolve("data"),
                // Port 0, read back from the log: no other process can take it between choosing and binding.
                "--web.listen-address=127.0.0.1:0")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200))
                .until(() -> !process.isAlive() || LISTENING.matcher(Files.readString(log)).find());
        Matcher listening = LISTENING.matcher(Files.readString(log));
        PrometheusServer server = new PrometheusServer(process, log, listening.find() ? Integer.parseInt(listening.group(1)) : 0);
        try {
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200))
                    .until(() -> !process.isAlive() || server.isReady());
            if (!process.isAlive()) {
                throw new AssertionError("prometheus exited at start:\n" + server.log());
            }
        } catch (RuntimeException | AssertionError e) {
            server.close();
            throw e;
        }
        return server;
    }

    private boolean isReady() {
        try {
            return get("/-/ready").statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The values of an instant query's samples, as Prometheus prints them ("20", "0.0049", "NaN"). */
    List<String> queryValues(String promql) throws IOException, InterruptedException {
        HttpResponse<String> response = get("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
        if (response.statusCode() != 200) {
            throw new AssertionError("query " + promql + ": HTTP " + response.statusCode() + " " + response.body());
        }
        List<String> values = new ArrayList<>();
        Matcher matcher = SAMPLE_VALUE.matcher(response.body());
        while (matcher.find()) {
            values.add(matcher.group(1));
        }
        return values;
    }

    HttpResponse<String> get(String pathAndQuery) throws IOException, InterruptedException {
        return TestGateway.client().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + pathAndQuery))
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }

    String log() throws IOException {
        return Files.readString(log);
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
