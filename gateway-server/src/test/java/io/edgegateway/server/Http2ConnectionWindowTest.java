package io.edgegateway.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.edgegateway.loadtest.upstream.MockUpstream;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A stream whose upstream takes none of its body must not stall the other streams of its connection:
 * the connection's flow-control window has room for every stream's window, not HTTP/2's default 64k.
 */
class Http2ConnectionWindowTest {

    /** HTTP/2's initial connection window, which a client may fill before any WINDOW_UPDATE. */
    private static final int DEFAULT_CONNECTION_WINDOW = 65_535;

    static ServerSocket silent;
    static final List<Socket> held = new CopyOnWriteArrayList<>();
    static MockUpstream upstream;
    static TestGateway gateway;

    @BeforeAll
    static void start() throws Exception {
        // Accepts connections, never reads or answers: the one pooled connection to it stays busy.
        silent = new ServerSocket(0);
        Thread acceptor = new Thread(() -> {
            while (!silent.isClosed()) {
                try {
                    held.add(silent.accept());
                } catch (IOException closed) {
                    return;
                }
            }
        }, "silent-upstream");
        acceptor.setDaemon(true);
        acceptor.start();
        upstream = MockUpstream.builder().name("ok").start();
        gateway = TestGateway.start("""
                upstream { max-connections = 2 }
                routes = [
                  { id = stall, match { path-prefix = "/stall" }, upstreams = ["http://127.0.0.1:%d"],
                    timeouts { response = 60s } }
                  { id = ok, match { path-prefix = "/ok" }, upstreams = ["http://127.0.0.1:%d"] }
                ]
                """.formatted(silent.getLocalPort(), upstream.port()));
    }

    @AfterAll
    static void stop() throws IOException {
        gateway.close();
        upstream.close();
        silent.close();
        for (Socket socket : held) {
            socket.close();
        }
    }

    @Test
    void aStreamWaitingForItsUpstreamLeavesTheConnectionWindowToTheOthers() throws Exception {
        try (RawH2Connection client = RawH2Connection.open(gateway.port())) {
            // Stream 1 takes the loop's only connection to the silent upstream (max-connections 2 over 2 loops).
            client.write(RawH2Connection.get(1, "/stall/first", true));
            await().atMost(Duration.ofSeconds(30)).until(() -> held.size() == 1);
            // Stream 3 waits for that connection; the body it sends meanwhile is not read.
            client.write(RawH2Connection.headers(3, false, ":method", "POST", ":scheme", "http", ":path", "/stall/second",
                    ":authority", "localhost", "content-length", "200000"));
            byte[] piece = new byte[16_383];
            for (int i = 0; i < 4; i++) {
                client.write(RawH2Connection.data(3, piece, false));
            }
            int sent = 4 * piece.length;
            assertThat(sent).isEqualTo(DEFAULT_CONNECTION_WINDOW - 3);
            // With the default connection window this body would overflow it: FLOW_CONTROL_ERROR.
            client.write(RawH2Connection.headers(5, false, ":method", "POST", ":scheme", "http", ":path", "/ok/x",
                    ":authority", "localhost", "content-length", "1000"));
            client.write(RawH2Connection.data(5, new byte[1000], true));

            await().atMost(Duration.ofSeconds(30)).until(() -> client.onStream(5).stream()
                    .anyMatch(frame -> frame.headers() != null));
            RawH2Connection.Frame head = client.onStream(5).stream().filter(frame -> frame.headers() != null)
                    .findFirst().orElseThrow();
            assertThat(head.headers().status().toString()).isEqualTo("200");
            assertThat(client.goAway()).isNotDone();
        }
    }
}
