package io.edgegateway.server;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import io.edgegateway.testkit.TestCertificate;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** WebSocket (a route's default {@code upgrades}) through the gateway: a byte tunnel after the handshake. */
class WebSocketTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private WebSocketUpstream upstream;
    private TestGateway gateway;

    @AfterEach
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
        upstream.close();
    }

    private void start(String routeKeys, String gatewayKeys) throws Exception {
        upstream = new WebSocketUpstream();
        gateway = TestGateway.start(gatewayKeys + "\nroutes = [ { id = ws, match { path-prefix = \"/\" }, "
                + "upstreams = [\"http://127.0.0.1:" + upstream.port() + "\"] " + routeKeys + " } ]");
    }

    @Test
    void textAndBinaryMessagesGoBothWaysAndTheHandshakeIsARequest() throws Exception {
        Path log = dir.resolve("access.log");
        start("", "access-log { enabled = true, path = \"" + log.toString().replace("\\", "/") + "\" }");
        Messages messages = new Messages();
        WebSocket socket = connect("/ws/chat", messages);

        for (int i = 0; i < 5; i++) {
            socket.sendText("text " + i + " \u00e9\u4e16", true).get(30, SECONDS);
            assertThat(messages.next()).isEqualTo("text " + i + " \u00e9\u4e16");
            byte[] binary = {(byte) i, 0, (byte) 0x81, (byte) 0xff, '\r', '\n', 'G', 'E', 'T'};
            socket.sendBinary(ByteBuffer.wrap(binary), true).get(30, SECONDS);
            assertThat((byte[]) messages.next()).isEqualTo(binary);
        }

        assertThat(upstream.handshakes()).isEqualTo(1);
        assertThat(gateway.admin("/metrics").body())
                .contains("gateway_requests_total{route=\"ws\",method=\"GET\",code=\"101\",} 1.0");
        await().atMost(WAIT).until(() -> Files.exists(log) && !Files.readAllLines(log).isEmpty());
        assertThat(Files.readAllLines(log, StandardCharsets.UTF_8)).singleElement().asString()
                .contains("\"route\":\"ws\"", "\"method\":\"GET\"", "\"path\":\"/ws/chat\"", "\"status\":101",
                        "\"upstream\":\"127.0.0.1:" + upstream.port() + "\"");
    }

    @Test
    void aTunnelRunsOverTlsToo() throws Exception {
        TestCertificate certificate = TestCertificate.create(dir, "localhost", "localhost");
        start("", "listen.tls { cert-file = \"" + certificate.certFile() + "\", key-file = \"" + certificate.keyFile() + "\" }");
        Messages messages = new Messages();
        HttpClient client = HttpClient.newBuilder().sslContext(TestCertificate.trusting(certificate)).build();
        WebSocket socket = client.newWebSocketBuilder()
                .buildAsync(URI.create("wss://localhost:" + gateway.port() + "/ws/secure"), messages).get(30, SECONDS);

        for (int i = 0; i < 3; i++) {
            socket.sendText("over tls " + i, true).get(30, SECONDS);
            assertThat(messages.next()).isEqualTo("over tls " + i);
        }
        assertThat(upstream.handshakes()).isEqualTo(1);
    }

    @Test
    void messagesOfSeveralMegabytesArriveIntactBothWays() throws Exception {
        start("", "");
        Messages messages = new Messages();
        WebSocket socket = connect("/ws/big", messages);
        Random random = new Random(42);
        byte[] binary = new byte[8 * 1024 * 1024];
        random.nextBytes(binary);
        char[] letters = new char[3 * 1024 * 1024];
        for (int i = 0; i < letters.length; i++) {
            letters[i] = (char) ('a' + random.nextInt(26));
        }
        String text = new String(letters);

        socket.sendBinary(ByteBuffer.wrap(binary), true).get(60, SECONDS);
        byte[] echoed = (byte[]) messages.next();
        socket.sendText(text, true).get(60, SECONDS);
        String echoedText = (String) messages.next();

        assertThat(echoed.length).isEqualTo(binary.length);
        assertThat(Arrays.mismatch(echoed, binary)).isEqualTo(-1);
        assertThat(echoedText.length()).isEqualTo(text.length());
        assertThat(echoedText.equals(text)).isTrue();
    }

    @Test
    void theUpgradeRequestIsForwardedWithUpgradeAndWithoutOtherHopByHopFields() throws Exception {
        start("", "");
        try (RawWebSocket client = new RawWebSocket(gateway.port())) {
            client.send(RawWebSocket.handshake("/ws/headers",
                    "Connection: X-Hop\r\nX-Hop: secret\r\nKeep-Alive: 5\r\n"));
            RawWebSocket.Head head = client.readHead();

            assertThat(head.status()).isEqualTo(101);
            assertThat(head.header("upgrade")).isEqualToIgnoringCase("websocket");
            assertThat(head.header("connection")).isEqualToIgnoringCase("upgrade");
            // The accept value of RFC 6455's own example key: the upstream's answer, passed on.
            assertThat(head.header("sec-websocket-accept")).isEqualTo("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
            assertThat(head.header("x-request-id")).isNotBlank();
        }
        var seen = upstream.lastUpgradeHeaders();
        assertThat(seen.get("upgrade")).isEqualTo("websocket");
        assertThat(seen.getAll("connection")).containsExactly("upgrade");
        assertThat(seen.contains("x-hop")).isFalse();
        assertThat(seen.contains("keep-alive")).isFalse();
        assertThat(seen.get("x-forwarded-for")).isEqualTo("127.0.0.1");
        assertThat(seen.get("x-request-id")).isNotBlank();
    }

    @Test
    void aFrameSentRightBehindTheHandshakeIsRelayed() throws Exception {
        start("", "");
        byte[] binary = {(byte) 0x88, ' ', '\n', 'G', 'E', 'T', ' ', '/', '\r', '\n'};
        try (RawWebSocket client = new RawWebSocket(gateway.port())) {
            // Two frames in the same write as the handshake, so most likely read along with it.
            client.send(RawWebSocket.handshake("/ws/eager", ""), RawWebSocket.text("right behind"),
                    RawWebSocket.frame(RawWebSocket.BINARY, binary));

            assertThat(client.readHead().status()).isEqualTo(101);
            assertThat(client.readFrame().text()).isEqualTo("right behind");
            assertThat(client.readFrame().payload()).isEqualTo(binary);
            client.send(RawWebSocket.text("and then"));
            assertThat(client.readFrame().text()).isEqualTo("and then");
        }
    }

    @Test
    void aFrameTheUpstreamSendsRightBehindThe101IsRelayed() throws Exception {
        start("", "");
        try (RawWebSocket client = new RawWebSocket(gateway.port())) {
            client.send(RawWebSocket.handshake("/ws/greet", ""));

            assertThat(client.readHead().status()).isEqualTo(101);
            assertThat(client.readFrame().text()).isEqualTo("hello");
            client.send(RawWebSocket.text("hi"));
            assertThat(client.readFrame().text()).isEqualTo("hi");
        }
    }

    @Test
    void whenTheClientClosesTheUpstreamSeesItAndBothConnectionsClose() throws Exception {
        start("", "");
        Messages messages = new Messages();
        WebSocket socket = connect("/ws/bye", messages);
        socket.sendText("ping", true).get(30, SECONDS);
        assertThat(messages.next()).isEqualTo("ping");

        socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(30, SECONDS);

        assertThat(messages.closed.get(30, SECONDS)).isEqualTo(1000);
        assertThat(upstream.closeFrames()).isEqualTo(1);
        String label = "upstream=\"127.0.0.1:" + upstream.port() + "\"";
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(upstream.openConnections()).isZero();
            assertThat(gateway.admin("/metrics").body())
                    .contains("gateway_open_connections 0.0")
                    .contains("gateway_upstream_connections{" + label + ",state=\"active\",} 0.0");
        });

        // A client that just goes, without a close frame.
        try (RawWebSocket client = new RawWebSocket(gateway.port())) {
            client.send(RawWebSocket.handshake("/ws/gone", ""));
            assertThat(client.readHead().status()).isEqualTo(101);
            await().atMost(WAIT).until(() -> upstream.openConnections() == 1);
        }
        await().atMost(WAIT).until(() -> upstream.openConnections() == 0);
    }

    @Test
    void whenTheUpstreamClosesTheClientSeesIt() throws Exception {
        start("", "");
        Messages messages = new Messages();
        WebSocket socket = connect("/ws/bye", messages);
        socket.sendText("close-me", true).get(30, SECONDS);
        assertThat(messages.closed.get(30, SECONDS)).isEqualTo(1000);

        // An upstream that just goes, without a close frame.
        try (RawWebSocket client = new RawWebSocket(gateway.port())) {
            client.send(RawWebSocket.handshake("/ws/gone", ""));
            assertThat(client.readHead().status()).isEqualTo(101);
            client.send(RawWebSocket.text("drop-me"));
            assertThat(client.closedByServer()).isTrue();
        }
    }

    @Test
    void anIdleTunnelIsClosedAfterTheRoutesUpgradedIdleTimeout() throws Exception {
        start(", timeouts { upgraded-idle = 300ms }", "");
        try (RawWebSocket client = new RawWebSocket(gateway.port())) {
            client.send(RawWebSocket.handshake("/ws/quiet", ""));
            assertThat(client.readHead().status()).isEqualTo(101);
            client.send(RawWebSocket.text("one"));
            assertThat(client.readFrame().text()).isEqualTo("one");

            assertThat(client.closedByServer()).isTrue();
        }
        await().atMost(WAIT).until(() -> upstream.openConnections() == 0);
    }

    @Test
    void theHttpIdleTimeoutDoesNotCloseATunnel() throws Exception {
        start("", "limits { idle-timeout = 300ms }");
        try (RawWebSocket client = new RawWebSocket(gateway.port())) {
            client.send(RawWebSocket.handshake("/ws/long", ""));
            assertThat(client.readHead().status()).isEqualTo(101);

            // A plain connection opened after the tunnel is closed for its idleness ...
            try (RawHttpConnection plain = new RawHttpConnection(gateway.port())) {
                plain.send("GET /plain HTTP/1.1\r\nHost: a\r\n\r\n");
                assertThat(plain.read().status()).isEqualTo(200);
                assertThat(plain.readUntilClosedByServer()).isTrue();
            }
            // ... while the tunnel, idle longer, still carries messages.
            client.send(RawWebSocket.text("still here"));
            assertThat(client.readFrame().text()).isEqualTo("still here");
        }
    }

    @Test
    void drainingClosesTunnels() throws Exception {
        start("", "");
        try (RawWebSocket client = new RawWebSocket(gateway.port())) {
            client.send(RawWebSocket.handshake("/ws/drain", ""));
            assertThat(client.readHead().status()).isEqualTo(101);

            assertThat(gateway.server().drain(WAIT)).isTrue();
            assertThat(client.closedByServer()).isTrue();
        }
        await().atMost(WAIT).until(() -> upstream.openConnections() == 0);
    }

    @Test
    void aRateLimitedUpgradeGets429AndNeverReachesTheUpstream() throws Exception {
        start(", rate-limit { requests = 1, window = 60s }",
                "identity { sources = [ { type = header, name = \"X-API-Key\" } ] }");
        try (RawWebSocket first = new RawWebSocket(gateway.port())) {
            first.send(RawWebSocket.handshake("/ws/limited", "X-API-Key: alice\r\n"));
            RawWebSocket.Head head = first.readHead();
            assertThat(head.status()).isEqualTo(101);
            assertThat(head.header("x-ratelimit-remaining")).isEqualTo("0");
        }
        try (RawWebSocket second = new RawWebSocket(gateway.port())) {
            second.send(RawWebSocket.handshake("/ws/limited", "X-API-Key: alice\r\n"));
            RawWebSocket.Head head = second.readHead();

            assertThat(head.status()).isEqualTo(429);
            assertThat(head.header("retry-after")).isNotBlank();
            assertThat(new String(second.readBytes(Integer.parseInt(head.header("content-length"))),
                    StandardCharsets.UTF_8)).isEqualTo("{\"error\":\"rate_limited\"}");
            assertThat(head.header("connection")).isEqualTo("close");
            assertThat(second.closedByServer()).isTrue();
        }
        assertThat(upstream.handshakes()).isEqualTo(1);
    }

    @Test
    void anUpstreamThatRefusesTheUpgradeAnswersTheClient() throws Exception {
        start("", "");
        try (RawWebSocket client = new RawWebSocket(gateway.port())) {
            client.send(RawWebSocket.handshake("/ws/refuse", ""));
            RawWebSocket.Head head = client.readHead();

            assertThat(head.status()).isEqualTo(200);
            assertThat(new String(client.readBytes(Integer.parseInt(head.header("content-length"))),
                    StandardCharsets.UTF_8)).isEqualTo("no upgrade here");
            assertThat(head.header("upgrade")).isNull();
            // The client's bytes after its request head were never decoded: the connection ends here.
            assertThat(head.header("connection")).isEqualTo("close");
            assertThat(client.closedByServer()).isTrue();
        }
        assertThat(upstream.handshakes()).isZero();
        assertThat(gateway.admin("/metrics").body())
                .contains("gateway_requests_total{route=\"ws\",method=\"GET\",code=\"200\",} 1.0");
    }

    @Test
    void plainRequestsAreUnaffected() throws Exception {
        start("", "");
        try (RawHttpConnection connection = new RawHttpConnection(gateway.port())) {
            for (String extra : List.of("", "Upgrade: websocket\r\n", "Connection: keep-alive\r\nUpgrade: h2c\r\n")) {
                connection.send("GET /plain HTTP/1.1\r\nHost: a\r\n" + extra + "\r\n");
                RawHttpConnection.Response response = connection.read();
                assertThat(response.status()).isEqualTo(200);
                assertThat(response.bodyText()).isEqualTo("plain, upgrade: none");
                assertThat(response.header("connection")).isNull();
            }
        }
        assertThat(upstream.handshakes()).isZero();
    }

    @Test
    void aClientThatStopsReadingStopsTheUpstream() throws Exception {
        start("", "");
        long total = 256L << 20;
        try (RawWebSocket client = new RawWebSocket(gateway.port(), 64 * 1024)) {
            client.send(RawWebSocket.handshake("/ws/push?bytes=" + total, ""));
            assertThat(client.readHead().status()).isEqualTo(101);

            // The client reads nothing more: the upstream must come to a stop long before the end.
            AtomicLong last = new AtomicLong(-1);
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> {
                long pushed = upstream.pushedBytes();
                return pushed > 0 && last.getAndSet(pushed) == pushed;
            });
            assertThat(upstream.pushedBytes()).isLessThan(total / 4);

            // Then it reads on, and gets every byte.
            long read = 0;
            while (read < total) {
                RawWebSocket.Frame frame = client.readFrame();
                assertThat(frame.opcode()).isEqualTo(RawWebSocket.BINARY);
                read += frame.payload().length;
            }
            assertThat(read).isEqualTo(total);
        }
    }

    private WebSocket connect(String path, Messages messages) throws Exception {
        return TestGateway.client().newWebSocketBuilder()
                .buildAsync(URI.create("ws://127.0.0.1:" + gateway.port() + path), messages)
                .get(30, SECONDS);
    }

    /** Collects whole messages (texts as String, binaries as byte[]) and the close code. */
    private static final class Messages implements WebSocket.Listener {

        final BlockingQueue<Object> received = new LinkedBlockingQueue<>();
        final CompletableFuture<Integer> closed = new CompletableFuture<>();
        private StringBuilder text = new StringBuilder();
        private final ByteArrayOutputStream binary = new ByteArrayOutputStream();

        @Override
        public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                received.add(text.toString());
                text = new StringBuilder();
            }
            socket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket socket, ByteBuffer data, boolean last) {
            byte[] bytes = new byte[data.remaining()];
            data.get(bytes);
            binary.writeBytes(bytes);
            if (last) {
                received.add(binary.toByteArray());
                binary.reset();
            }
            socket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket socket, int statusCode, String reason) {
            closed.complete(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket socket, Throwable error) {
            closed.completeExceptionally(error);
        }

        Object next() throws InterruptedException {
            Object message = received.poll(30, SECONDS);
            assertThat(message).as("a message within 30 s").isNotNull();
            return message;
        }
    }
}
