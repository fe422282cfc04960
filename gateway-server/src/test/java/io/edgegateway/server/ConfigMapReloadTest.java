package io.edgegateway.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.edgegateway.config.ConfigLoader;
import io.edgegateway.loadtest.upstream.MockUpstream;
import io.edgegateway.server.lifecycle.ConfigReloader;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A configuration mounted the way Kubernetes mounts a ConfigMap: {@code gateway.conf} links to
 * {@code ..data/gateway.conf}, and an update swaps the {@code ..data} link to a new folder.
 */
class ConfigMapReloadTest {

    @TempDir
    Path dir;

    @Test
    void swappingTheDataLinkReloads() throws Exception {
        try (MockUpstream a = MockUpstream.builder().name("a").start();
                MockUpstream b = MockUpstream.builder().name("b").start()) {
            int port = GatewayProcess.freePort();
            int adminPort = GatewayProcess.freePort();
            Path first = Files.createDirectory(dir.resolve("..2026_11_23_01"));
            GatewayProcess.writeConfig(first.resolve("gateway.conf"), port, adminPort,
                    "routes = [" + TestGateway.route("a", "/a", a.port()) + "]");
            Files.createSymbolicLink(dir.resolve("..data"), first.getFileName());
            Path file = Files.createSymbolicLink(dir.resolve("gateway.conf"), Path.of("..data", "gateway.conf"));

            try (GatewayServer server = GatewayServer.start(ConfigLoader.load(file), 2);
                    ConfigReloader reloader = new ConfigReloader(file, server)) {
                reloader.watch();
                Path second = Files.createDirectory(dir.resolve("..2026_11_23_02"));
                GatewayProcess.writeConfig(second.resolve("gateway.conf"), port, adminPort,
                        "routes = [" + TestGateway.route("a", "/a", a.port()) + ", " + TestGateway.route("b", "/b", b.port()) + "]");
                Path swap = Files.createSymbolicLink(dir.resolve("..data_tmp"), second.getFileName());
                Files.move(swap, dir.resolve("..data"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);

                await().atMost(Duration.ofSeconds(30)).until(() -> TestGateway.client().send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/b")).build(),
                        HttpResponse.BodyHandlers.ofString()).statusCode() == 200);
                assertThat(server.metrics().configReloads.labels("success").get()).isGreaterThanOrEqualTo(1);
            }
        }
    }
}
