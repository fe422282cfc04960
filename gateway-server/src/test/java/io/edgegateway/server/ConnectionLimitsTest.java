package io.edgegateway.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.edgegateway.loadtest.upstream.MockUpstream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code limits.max-connections} and {@code limits.max-connections-per-client}: a connection over
 * either bound is closed as it is accepted, counted by reason, and the connections within the
 * bounds keep being served; once one closes, there is room again. The admin port is not bounded.
 */
class ConnectionLimitsTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private final List<Socket> sockets = new ArrayList<>();
    private MockUpstream upstream;
    private TestGateway gateway;

    @AfterEach
    void stop() throws IOException {
        for (Socket socket : sockets) {
            socket.close();
        }
        gateway.close();
        upstream.close();
    }

    private void start(String limits) throws Exception {
        upstream = MockUpstream.builder().start();
        gateway = TestGateway.start("limits { " + limits + " }\nroutes = [" + TestGateway.route("r", "/", upstream.port()) + "]");
    }

    /** A connection from {@code localAddress} (any 127.x.y.z: all loopback on Linux) that has had one answer. */
    private Socket served(String localAddress) throws IOException {
        Socket socket = connect(localAddress);
        socket.getOutputStream().write("GET /ok HTTP/1.1\r\nHost: a\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        assertThat(statusLine(socket)).isEqualTo("HTTP/1.1 200 OK");
        return socket;
    }

    private Socket connect(String localAddress) throws IOException {
        Socket socket = new Socket();
        sockets.add(socket);
        socket.bind(new InetSocketAddress(localAddress, 0));
        socket.connect(new InetSocketAddress("127.0.0.1", gateway.port()), 5_000);
        socket.setSoTimeout((int) WAIT.toMillis());
        return socket;
    }

    /** The status line of the next answer on {@code socket}; its body is small and left unread. */
    private static String statusLine(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        StringBuilder line = new StringBuilder();
        int b;
        while ((b = in.read()) != -1 && b != '\n') {
            line.append((char) b);
        }
        in.skip(in.available());
        return line.toString().trim();
    }

    /** Whether the gateway closed {@code socket} without an answer: end of stream, or a reset. */
    private static boolean closedUnanswered(Socket socket) throws IOException {
        try {
            socket.getOutputStream().write("GET /no HTTP/1.1\r\nHost: a\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            return socket.getInputStream().read() == -1;
        } catch (SocketException reset) {
            return true;
        }
    }

    private double refused(String reason) throws Exception {
        return MetricsScrape.of(gateway).count("gateway_client_connections_refused_total", "reason", reason);
    }

    @Test
    void aConnectionOverMaxConnectionsIsClosedAndTheOthersAreServed() throws Exception {
        start("max-connections = 2");
        Socket first = served("127.0.0.1");
        Socket second = served("127.0.0.1");

        assertThat(closedUnanswered(connect("127.0.0.1"))).isTrue();
        assertThat(refused("max_connections")).isEqualTo(1);
        assertThat(gateway.admin("/health").statusCode()).as("the admin port is not bounded").isEqualTo(200);
        second.getOutputStream().write("GET /again HTTP/1.1\r\nHost: a\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        assertThat(statusLine(second)).isEqualTo("HTTP/1.1 200 OK");

        first.close();
        await().atMost(WAIT).until(() -> MetricsScrape.of(gateway).value("gateway_open_connections") == 1);
        served("127.0.0.1");
    }

    @Test
    void aClientOverItsBoundIsClosedWhileAnotherAddressIsServed() throws Exception {
        start("max-connections-per-client = 2");
        served("127.0.0.1");
        Socket second = served("127.0.0.1");

        assertThat(closedUnanswered(connect("127.0.0.1"))).isTrue();
        assertThat(refused("per_client")).isEqualTo(1);
        served("127.0.0.2");
        served("127.0.0.2");

        second.close();
        await().atMost(WAIT).until(() -> MetricsScrape.of(gateway).value("gateway_open_connections") == 3);
        served("127.0.0.1");
        assertThat(refused("max_connections")).isZero();
    }
}
