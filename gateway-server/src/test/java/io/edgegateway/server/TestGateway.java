package io.edgegateway.server;

import static org.awaitility.Awaitility.await;

import io.edgegateway.config.ConfigLoader;
import io.edgegateway.config.GatewayConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A gateway on free loopback ports, configured from a HOCON fragment inside {@code gateway { }}. */
final class TestGateway implements AutoCloseable {

    private static final HttpClient CLIENT = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    private final GatewayServer server;

    private TestGateway(GatewayServer server) {
        this.server = server;
    }

    /** Starts a gateway and waits until it is ready (its rate-limit store's connections opened, or timed out). */
    static TestGateway start(String gatewayBody) throws Exception {
        GatewayServer server = GatewayServer.start(config(gatewayBody), 2);
        await().atMost(Duration.ofSeconds(30)).until(server::isReady);
        return new TestGateway(server);
    }

    /**
     * A gateway on free loopback ports. Self-protection against a lagging event loop is off unless the
     * body sets {@code limits.max-event-loop-lag}: on a shared test machine a loop can lag because other
     * processes have the cores, and a refusal would fail a test about something else.
     */
    static GatewayConfig config(String gatewayBody) throws Exception {
        String hocon = "gateway {\n"
                + "  listen { host = \"127.0.0.1\", port = 0 }\n"
                + "  admin { host = \"127.0.0.1\", port = 0 }\n"
                + "  limits.max-event-loop-lag = 0\n"
                + gatewayBody + "\n}\n";
        return ConfigLoader.parse(hocon, "test.conf");
    }

    /** A route block forwarding {@code prefix} to the given mock upstream ports. */
    static String route(String id, String prefix, int... upstreamPorts) {
        StringBuilder upstreams = new StringBuilder();
        for (int port : upstreamPorts) {
            upstreams.append(upstreams.isEmpty() ? "" : ", ").append("\"http://127.0.0.1:").append(port).append('"');
        }
        return "{ id = " + id + ", match { path-prefix = \"" + prefix + "\" }, upstreams = [" + upstreams + "] }";
    }

    GatewayServer server() {
        return server;
    }

    int port() {
        return server.port();
    }

    URI uri(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + server.port() + pathAndQuery);
    }

    HttpResponse<String> get(String pathAndQuery) throws Exception {
        return CLIENT.send(HttpRequest.newBuilder(uri(pathAndQuery)).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> admin(String path) throws Exception {
        return CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.adminPort() + path))
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpClient client() {
        return CLIENT;
    }

    @Override
    public void close() {
        server.close();
    }
}
