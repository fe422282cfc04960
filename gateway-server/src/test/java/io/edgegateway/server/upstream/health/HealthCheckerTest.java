package io.edgegateway.server.upstream.health;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.edgegateway.testkit.RefusingPort;
import io.edgegateway.transport.Transport;
import io.netty.channel.EventLoopGroup;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HealthCheckerTest {

    private static final Duration DEADLINE = Duration.ofSeconds(20);
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    private final Transport transport = Transport.auto();
    private final BlockingQueue<Boolean> changes = new LinkedBlockingQueue<>();
    private EventLoopGroup group;
    private HealthChecker checker;
    private HttpServer server;
    private final AtomicInteger status = new AtomicInteger(200);
    private final AtomicInteger requests = new AtomicInteger();
    private final List<String> requestLines = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws IOException {
        group = transport.newGroup(1);
        checker = new HealthChecker(group, transport.channelType(), (target, healthy) -> changes.add(healthy));
        server = HttpServer.create(new InetSocketAddress(LOOPBACK, 0), 0);
        server.createContext("/", exchange -> {
            requestLines.add(exchange.getRequestMethod() + " " + exchange.getRequestURI()
                    + " host=" + exchange.getRequestHeaders().getFirst("Host")
                    + " connection=" + exchange.getRequestHeaders().getFirst("Connection"));
            byte[] body = ("status " + status.get() + "\n").repeat(200).getBytes(StandardCharsets.US_ASCII);
            exchange.sendResponseHeaders(status.get(), body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
            requests.incrementAndGet();
        });
        server.start();
    }

    @AfterEach
    void stop() throws InterruptedException {
        checker.close();
        server.stop(0);
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).await();
    }

    private HealthChecker.Handle watch(InetSocketAddress address, Duration timeout, int healthyThreshold, int unhealthyThreshold) {
        return checker.watch("instance", address, "localhost", Optional.empty(), "/healthz",
                Duration.ofMillis(20), timeout, healthyThreshold, unhealthyThreshold);
    }

    @Test
    void becomesUnhealthyAfterFailedChecksAndHealthyAgainAfterGoodOnes() throws InterruptedException {
        HealthChecker.Handle handle = watch(server.getAddress(), Duration.ofSeconds(5), 2, 2);
        await().atMost(DEADLINE).until(() -> requests.get() >= 3);
        assertTrue(handle.healthy());
        assertTrue(changes.isEmpty(), "good checks of a healthy instance change nothing");

        status.set(503);
        assertEquals(Boolean.FALSE, changes.poll(DEADLINE.toSeconds(), TimeUnit.SECONDS));
        assertFalse(handle.healthy());

        status.set(202);
        assertEquals(Boolean.TRUE, changes.poll(DEADLINE.toSeconds(), TimeUnit.SECONDS));
        assertTrue(handle.healthy());
        assertTrue(changes.isEmpty(), "one call per change");
    }

    @Test
    void sendsAClosingGetForThePathWithTheUpstreamsHost() {
        int port = server.getAddress().getPort();
        watch(server.getAddress(), Duration.ofSeconds(5), 1, 1);
        await().atMost(DEADLINE).until(() -> !requestLines.isEmpty());
        assertEquals("GET /healthz host=localhost:" + port + " connection=close", requestLines.get(0));
    }

    @Test
    void aStoppedInstanceIsUnhealthy() throws Exception {
        try (RefusingPort stopped = new RefusingPort()) {
            HealthChecker.Handle handle = watch(new InetSocketAddress("127.0.0.1", stopped.port()), Duration.ofSeconds(5), 1, 2);
            assertEquals(Boolean.FALSE, changes.poll(DEADLINE.toSeconds(), TimeUnit.SECONDS));
            assertFalse(handle.healthy());
        }
    }

    @Test
    void anInstanceThatNeverAnswersIsUnhealthyAfterTheTimeout() throws Exception {
        try (SilentServer silent = new SilentServer()) {
            HealthChecker.Handle handle = watch(silent.address(), Duration.ofMillis(100), 1, 1);
            assertEquals(Boolean.FALSE, changes.poll(DEADLINE.toSeconds(), TimeUnit.SECONDS));
            assertFalse(handle.healthy());
        }
    }

    @Test
    void cancelClosesTheCheckUnderWay() throws Exception {
        try (SilentServer silent = new SilentServer()) {
            HealthChecker.Handle handle = watch(silent.address(), Duration.ofMinutes(5), 1, 1);
            Socket accepted = silent.awaitConnection();
            handle.cancel();
            accepted.setSoTimeout((int) DEADLINE.toMillis());
            InputStream in = accepted.getInputStream();
            while (in.read() != -1) {
                // the request the check sent, then the end of the stream once it is closed
            }
            assertTrue(changes.isEmpty(), "a cancelled check reports nothing");
            assertTrue(handle.healthy());
        }
    }

    /** Accepts connections and never answers them. */
    private static final class SilentServer implements AutoCloseable {
        private final ServerSocket socket;
        private final AtomicReference<Socket> accepted = new AtomicReference<>();
        private final Thread acceptor;

        SilentServer() throws IOException {
            socket = new ServerSocket(0, 50, LOOPBACK);
            acceptor = new Thread(() -> {
                try {
                    while (true) {
                        Socket connection = socket.accept();
                        accepted.compareAndSet(null, connection);
                    }
                } catch (IOException closed) {
                    // the test is over
                }
            }, "silent-server");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        InetSocketAddress address() {
            return (InetSocketAddress) socket.getLocalSocketAddress();
        }

        Socket awaitConnection() {
            await().atMost(DEADLINE).until(() -> accepted.get() != null);
            return accepted.get();
        }

        @Override
        public void close() throws IOException {
            socket.close();
            Socket connection = accepted.get();
            if (connection != null) {
                connection.close();
            }
        }
    }
}
