package io.edgegateway.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.edgegateway.config.ConfigLoader;
import io.edgegateway.loadtest.upstream.MockUpstream;
import io.edgegateway.server.lifecycle.ConfigReloader;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReloadTest {

    @TempDir
    Path dir;
    private MockUpstream a;
    private MockUpstream b;
    private GatewayServer server;
    private ConfigReloader reloader;
    private Path file;
    private int port;
    private int adminPort;

    @BeforeEach
    void start() throws Exception {
        a = MockUpstream.builder().name("a").start();
        b = MockUpstream.builder().name("b").start();
        port = GatewayProcess.freePort();
        adminPort = GatewayProcess.freePort();
        file = dir.resolve("gateway.conf");
        GatewayProcess.writeConfig(file, port, adminPort, routes(false));
        server = GatewayServer.start(ConfigLoader.load(file), 2);
        reloader = new ConfigReloader(file, server);
        reloader.watch();
    }

    @AfterEach
    void stop() throws Exception {
        reloader.close();
        server.close();
        a.close();
        b.close();
    }

    private String routes(boolean withB) {
        return "routes = [" + TestGateway.route("a", "/a", a.port())
                + (withB ? ", " + TestGateway.route("b", "/b", b.port()) : "") + "]";
    }

    private HttpResponse<String> get(String path) throws Exception {
        return TestGateway.client().send(HttpRequest.newBuilder(
                java.net.URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aChangedFileIsServedWithoutFailingARequestInFlight() throws Exception {
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger served = new AtomicInteger();
        List<String> failures = new CopyOnWriteArrayList<>();
        Thread traffic = new Thread(() -> {
            while (running.get() && served.get() < 100_000) {
                try {
                    HttpResponse<String> response = get("/a");
                    if (response.statusCode() != 200) {
                        failures.add("status " + response.statusCode());
                    }
                    served.incrementAndGet();
                } catch (Exception e) {
                    failures.add(e.toString());
                }
            }
        });
        traffic.start();
        try {
            await().until(() -> served.get() > 50);
            GatewayProcess.writeConfig(file, port, adminPort, routes(true));
            await().atMost(Duration.ofSeconds(30)).until(() -> get("/b").statusCode() == 200);
            int before = served.get();
            await().until(() -> served.get() > before + 50);
        } finally {
            running.set(false);
            traffic.join();
        }
        assertThat(failures).isEmpty();
        assertThat(server.metrics().configReloads.labels("success").get()).isGreaterThanOrEqualTo(1);
    }

    @Test
    void anInvalidFileIsRefusedAndTheOldConfigKeepsServing() throws Exception {
        Files.writeString(file, "gateway { routes = [ { id = broken, upstreams = \"not a list\" } ] }");
        await().atMost(Duration.ofSeconds(30))
                .until(() -> server.metrics().configReloads.labels("failure").get() >= 1);
        assertThat(get("/a").statusCode()).isEqualTo(200);
        assertThat(get("/b").statusCode()).isEqualTo(404);
    }

    @Test
    void reloadAppliesWhatTheFileSaysNow() throws Exception {
        GatewayProcess.writeConfig(file, port, adminPort, routes(true));
        assertThat(reloader.reload()).isTrue();
        assertThat(get("/b").headers().firstValue("x-upstream")).hasValue("b");
    }
}
