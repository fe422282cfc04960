package io.edgegateway.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.edgegateway.loadtest.upstream.MockUpstream;
import java.io.IOException;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Signals, exit codes and {@code --check}, on a real gateway process. */
class ProcessLifecycleTest {

    @TempDir
    Path dir;

    @Test
    void sigtermFinishesTheRequestInFlightThenExitsZero() throws Exception {
        try (MockUpstream slow = MockUpstream.builder().name("slow").latency("fixed:2s").start()) {
            GatewayProcess gateway = GatewayProcess.start(dir.resolve("g.conf"),
                    "shutdown-grace = 30s\nroutes = [" + TestGateway.route("slow", "/", slow.port()) + "]", List.of());
            CompletableFuture<HttpResponse<String>> inFlight = TestGateway.client().sendAsync(
                    HttpRequest.newBuilder(gateway.uri("/in-flight")).build(), HttpResponse.BodyHandlers.ofString());
            await().until(() -> slow.recordedRequests().stream().anyMatch(r -> r.uri().equals("/in-flight")));

            gateway.signal("TERM");

            await().until(() -> !accepts(gateway.port()));
            HttpResponse<String> response = inFlight.get();
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("connection")).hasValue("close");
            assertThat(gateway.awaitExit()).isZero();
        }
    }

    @Test
    void sighupReloadsTheFile() throws Exception {
        try (MockUpstream upstream = MockUpstream.builder().name("up").start()) {
            Path file = dir.resolve("g.conf");
            try (GatewayProcess gateway = GatewayProcess.start(file,
                    "routes = [" + TestGateway.route("one", "/one", upstream.port()) + "]", List.of())) {
                gateway.signal("HUP");
                await().atMost(Duration.ofSeconds(30)).until(() -> gateway.admin("/metrics").body()
                        .contains("gateway_config_reloads_total{result=\"success\",}"));
                assertThat(TestGateway.client().send(HttpRequest.newBuilder(gateway.uri("/one")).build(),
                        HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
            }
        }
    }

    @Test
    void startUpEndsWithOneFullCollection() throws Exception {
        Path file = dir.resolve("g.conf");
        Path gcLog = dir.resolve("gc.log");
        Path output = dir.resolve("out.log");
        try (MockUpstream upstream = MockUpstream.builder().name("up").start()) {
            // Ports the kernel picks at bind, so that no other process can be taken for this one.
            GatewayProcess.writeConfig(file, 0, 0, "routes = [" + TestGateway.route("up", "/", upstream.port()) + "]");
            Process gateway = GatewayProcess.launch(output, List.of("-Xlog:gc:file=" + gcLog), "--config", file.toString());
            try {
                // What start-up built is promoted before load, not copied by the first young collections.
                await().atMost(Duration.ofSeconds(60)).until(() -> !gateway.isAlive()
                        || Files.exists(gcLog) && Files.readString(gcLog).contains("(System.gc())"));
                assertThat(Files.readString(gcLog)).as("gc log; the gateway's output:%n%s", Files.readString(output))
                        .contains("(System.gc())");
            } finally {
                gateway.destroy();
                gateway.waitFor(30, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void checkSaysOkForAGoodFile() throws Exception {
        Path file = dir.resolve("good.conf");
        Files.writeString(file, "gateway { routes = [ { id = a, match { path-prefix = \"/\" }, "
                + "upstreams = [\"http://127.0.0.1:9\"] } ] }");
        GatewayProcess.Result result = GatewayProcess.run("--config", file.toString(), "--check");
        assertThat(result.exitCode()).isZero();
        assertThat(result.output().strip()).isEqualTo("OK");
    }

    @Test
    void theConfigurationMayComeFromTheEnvironment() throws Exception {
        Path file = dir.resolve("from-env.conf");
        Files.writeString(file, "gateway { listen { port = 99999 } }");
        GatewayProcess.Result result = GatewayProcess.run(Map.of("GATEWAY_CONFIG", file.toString()), "--check");
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.output()).contains("from-env.conf:1:");
    }

    @Test
    void environmentOverridesReachTheConfiguration() throws Exception {
        Path file = dir.resolve("override.conf");
        Files.writeString(file, "gateway { shutdown-grace = 10s, shutdown-grace = ${?GRACE} }");
        GatewayProcess.Result result = GatewayProcess.run(Map.of("GRACE", "not-a-duration"),
                "--config", file.toString(), "--check");
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.output()).contains("shutdown-grace");
    }

    @Test
    void aBadCommandLineExitsTwoWithUsage() throws Exception {
        GatewayProcess.Result result = GatewayProcess.run("--nonsense");
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.output()).contains("usage:");
    }

    @Test
    void checkListsEveryProblemWithFileAndLineAndExitsTwo() throws Exception {
        Path file = dir.resolve("bad.conf");
        Files.writeString(file, """
                gateway {
                  listen { port = 99999 }
                  routes = [
                    { id = a, match { path-prefix = "/" }, strip-prefx = true, upstreams = ["http://127.0.0.1:9"] }
                  ]
                }
                """);
        GatewayProcess.Result result = GatewayProcess.run("--config", file.toString(), "--check");
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.output()).contains("bad.conf:2:").contains("bad.conf:4:").contains("strip-prefix");
    }

    private static boolean accepts(int port) {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
