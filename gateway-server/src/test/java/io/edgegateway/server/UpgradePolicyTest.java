package io.edgegateway.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgegateway.loadtest.upstream.MockUpstream;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Only a route's {@code upgrades} tunnel: any other {@code Upgrade} is dropped and the request is an
 * ordinary one, and a 101 the request did not ask for (or for another protocol) is a 502, never a
 * tunnel through which requests would skip routing and rate limiting.
 */
class UpgradePolicyTest {

    static SwitchingUpstream switching;
    static MockUpstream limited;
    static TestGateway gateway;

    @BeforeAll
    static void start() throws Exception {
        switching = new SwitchingUpstream();
        limited = MockUpstream.builder().name("limited").start();
        gateway = TestGateway.start("""
                identity { sources = [ { type = header, name = "X-API-Key" } ] }
                routes = [
                  { id = open, match { path-prefix = "/open" }, upstreams = ["http://127.0.0.1:%1$d"] }
                  { id = h2c, match { path-prefix = "/h2c" }, upstreams = ["http://127.0.0.1:%1$d"], upgrades = [H2C] }
                  { id = closed, match { path-prefix = "/closed" }, upstreams = ["http://127.0.0.1:%1$d"], upgrades = [] }
                  { id = limited, match { path-prefix = "/limited" }, upstreams = ["http://127.0.0.1:%2$d"],
                    rate-limit { requests = 1, window = 60s } }
                ]
                """.formatted(switching.port(), limited.port()));
    }

    @AfterAll
    static void stop() throws IOException {
        gateway.close();
        limited.close();
        switching.close();
    }

    @BeforeEach
    void clear() {
        limited.clearRecordedRequests();
        switching.heads.clear();
        switching.tunnelled.set(0);
    }

    private static String h2cUpgrade(String path, String key) {
        return "GET " + path + " HTTP/1.1\r\nHost: a.test\r\nX-API-Key: " + key + "\r\n"
                + "Connection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\nHTTP2-Settings: AAMAAABkAAQAAP__\r\n\r\n";
    }

    private static String limitedRequest(String key) {
        return "GET /limited/x HTTP/1.1\r\nHost: a.test\r\nX-API-Key: " + key + "\r\n\r\n";
    }

    /** Twenty requests for the limited path (quota 1) on one connection: one gets through. */
    private static void limitedPathStillLimited(RawHttpConnection connection, String key) throws IOException {
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            connection.send(limitedRequest(key));
            statuses.add(connection.read().status());
        }
        assertThat(statuses.get(0)).isEqualTo(200);
        assertThat(statuses.subList(1, 20)).containsOnly(429);
        assertThat(limited.recordedRequests()).hasSize(1);
    }

    @Test
    void anUpgradeTheRouteDoesNotListIsDroppedAndTheRequestIsAnOrdinaryOne() throws Exception {
        try (RawHttpConnection connection = new RawHttpConnection(gateway.port())) {
            connection.send(h2cUpgrade("/open/x", "k1"));
            RawHttpConnection.Response response = connection.read();
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.bodyText()).isEqualTo("plain");
            assertThat(response.header("upgrade")).isNull();

            limitedPathStillLimited(connection, "k1");
        }
        assertThat(switching.heads).singleElement().satisfies(head -> {
            assertThat(head.get(0)).isEqualTo("GET /open/x HTTP/1.1");
            assertThat(SwitchingUpstream.header(head, "upgrade")).isNull();
            assertThat(SwitchingUpstream.header(head, "connection")).isNull();
            assertThat(SwitchingUpstream.header(head, "http2-settings")).isNull();
        });
        assertThat(switching.tunnelled).hasValue(0);
    }

    @Test
    void a101TheRequestDidNotAskForIsA502AndNoTunnel() throws Exception {
        try (RawHttpConnection connection = new RawHttpConnection(gateway.port())) {
            connection.send("GET /open/always-101 HTTP/1.1\r\nHost: a.test\r\n\r\n");
            RawHttpConnection.Response response = connection.read();
            assertThat(response.status()).isEqualTo(502);
            assertThat(response.bodyText()).isEqualTo("{\"error\":\"bad_gateway\"}");

            limitedPathStillLimited(connection, "k2");
        }
        assertThat(switching.heads).hasSize(1);
        assertThat(switching.tunnelled).hasValue(0);
    }

    @Test
    void a101ToAnotherProtocolThanTheOneOfferedIsA502() throws Exception {
        try (RawHttpConnection connection = new RawHttpConnection(gateway.port())) {
            connection.send("GET /open/always-101 HTTP/1.1\r\nHost: a.test\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");
            RawHttpConnection.Response response = connection.read();
            assertThat(response.status()).isEqualTo(502);
            // What the client sent behind its upgrade request was never decoded: the connection ends.
            assertThat(response.header("connection")).isEqualTo("close");
        }
        assertThat(SwitchingUpstream.header(switching.heads.get(0), "upgrade")).isEqualTo("websocket");
        assertThat(switching.tunnelled).hasValue(0);
        assertThat(gateway.get("/open/after").statusCode()).as("served on afterwards").isEqualTo(200);
    }

    @Test
    void aRouteWithNoUpgradesForwardsAWebSocketHandshakeAsAnOrdinaryRequest() throws Exception {
        try (RawHttpConnection connection = new RawHttpConnection(gateway.port())) {
            connection.send("GET /closed/ws HTTP/1.1\r\nHost: a.test\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n");
            assertThat(connection.read().bodyText()).isEqualTo("plain");
        }
        assertThat(SwitchingUpstream.header(switching.heads.get(0), "upgrade")).isNull();
    }

    @Test
    void aRouteThatListsH2cTunnelsIt() throws Exception {
        try (RawHttpConnection connection = new RawHttpConnection(gateway.port())) {
            connection.send(h2cUpgrade("/h2c/x", "k3"));
            RawHttpConnection.Response switched = connection.readHeadOnly();
            assertThat(switched.status()).isEqualTo(101);
            assertThat(switched.header("upgrade")).isEqualTo("h2c");
            connection.send(limitedRequest("k3"));
            assertThat(connection.read().bodyText()).isEqualTo("tunnelled");
        }
        assertThat(SwitchingUpstream.header(switching.heads.get(0), "upgrade")).isEqualTo("h2c");
        assertThat(switching.tunnelled).hasValue(1);
        assertThat(limited.recordedRequests()).isEmpty();
    }

    /**
     * A raw upstream that switches to "h2c" when asked (and on {@code /always-101} whatever it is
     * asked), then answers every request head that comes through the tunnel with {@code tunnelled};
     * any other request gets {@code plain}.
     */
    static final class SwitchingUpstream implements AutoCloseable {

        final List<List<String>> heads = new CopyOnWriteArrayList<>();
        final AtomicInteger tunnelled = new AtomicInteger();
        private final ServerSocket server = new ServerSocket(0);

        SwitchingUpstream() throws IOException {
            Thread acceptor = new Thread(this::accept, "switching-upstream");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        int port() {
            return server.getLocalPort();
        }

        static String header(List<String> head, String name) {
            for (String line : head.subList(1, head.size())) {
                int colon = line.indexOf(':');
                if (line.substring(0, colon).trim().toLowerCase(Locale.ROOT).equals(name)) {
                    return line.substring(colon + 1).trim();
                }
            }
            return null;
        }

        private void accept() {
            while (!server.isClosed()) {
                try {
                    Socket socket = server.accept();
                    Thread connection = new Thread(() -> serve(socket), "switching-upstream-connection");
                    connection.setDaemon(true);
                    connection.start();
                } catch (IOException e) {
                    // closed at the end of the class
                }
            }
        }

        private void serve(Socket socket) {
            try (socket) {
                InputStream in = new BufferedInputStream(socket.getInputStream());
                OutputStream out = socket.getOutputStream();
                List<String> head;
                while ((head = readHead(in)) != null) {
                    heads.add(head);
                    String upgrade = header(head, "upgrade");
                    if (head.get(0).contains("/always-101") || "h2c".equalsIgnoreCase(upgrade)) {
                        write(out, "HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: h2c\r\n\r\n");
                        while (readHead(in) != null) {
                            tunnelled.incrementAndGet();
                            write(out, "HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\ntunnelled");
                        }
                        return;
                    }
                    write(out, "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nplain");
                }
            } catch (IOException e) {
                // the gateway closed the connection
            }
        }

        private static void write(OutputStream out, String text) throws IOException {
            out.write(text.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
        }

        /** The request line and header lines of the next request (none has a body here), or null at the end. */
        private static List<String> readHead(InputStream in) throws IOException {
            List<String> lines = new ArrayList<>();
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            int b;
            while ((b = in.read()) != -1) {
                if (b == '\n') {
                    String text = line.toString(StandardCharsets.ISO_8859_1).replace("\r", "");
                    line.reset();
                    if (text.isEmpty()) {
                        return lines;
                    }
                    lines.add(text);
                } else {
                    line.write(b);
                }
            }
            return null;
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }
}
