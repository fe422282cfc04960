package io.edgegateway.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.handler.codec.http2.Http2Headers;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A gRPC call's {@code grpc-timeout} as the gateway's own deadline, from a bare HTTP/2 client (a
 * grpc-java client would end the call itself at the same moment, hiding what the gateway did) to
 * upstreams that ignore the header: before the response head the answer is DEADLINE_EXCEEDED,
 * after it the call ends with trailers saying so, and either way the upstream side is given up.
 */
class GrpcDeadlineTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String[] CALL_WITH_DEADLINE =
            {"content-type", "application/grpc", "te", "trailers", "grpc-timeout", "300m"};
    /** Long enough for the upstream's head and first message to be through first, even on a busy machine. */
    private static final String[] STREAM_WITH_DEADLINE =
            {"content-type", "application/grpc", "te", "trailers", "grpc-timeout", "3S"};
    /** One gRPC message: not compressed, one byte long, {@code x}. */
    private static final byte[] MESSAGE = {0, 0, 0, 0, 1, 'x'};

    @TempDir
    Path dir;
    private final ExecutorService upstreamThreads = Executors.newCachedThreadPool();
    private GatewayServer gateway;
    private H2cTestClient client;

    @AfterEach
    void stop() {
        if (client != null) {
            client.close();
        }
        if (gateway != null) {
            gateway.close();
        }
        upstreamThreads.shutdownNow();
    }

    private void startGateway(String upstream) throws Exception {
        gateway = GatewayServer.start(TestGateway.config("""
                routes = [ { id = grpc, match { path-prefix = "/" }, upstreams = ["%s"], retries = off } ]
                access-log { enabled = true, path = "%s" }
                """.formatted(upstream, accessLog().toString().replace("\\", "/"))), 1);
        await().atMost(WAIT).until(gateway::isReady);
        client = new H2cTestClient(gateway.port());
    }

    private Path accessLog() {
        return dir.resolve("access.log");
    }

    @Test
    void aCallUnansweredAtItsDeadlineIsDeadlineExceededAndItsUpstreamStreamIsReset() throws Exception {
        try (H2Upstream upstream = H2Upstream.cleartext(0)) {
            upstream.holdEverything = true;
            startGateway("h2c://127.0.0.1:" + upstream.port());

            H2cTestClient.Stream call = client.request("POST", "/test.Echo/Hang", CALL_WITH_DEADLINE);
            call.ended.get(WAIT.toSeconds(), TimeUnit.SECONDS);

            assertThat(call.headerBlocks).as("Trailers-Only: one header block").hasSize(1);
            Http2Headers answer = call.headerBlocks.get(0);
            assertThat(answer.status()).hasToString("200");
            assertThat(answer.get("grpc-status")).hasToString("4");
            assertThat(answer.get("grpc-message")).hasToString("deadline_exceeded");
            await().atMost(WAIT).until(() -> !upstream.resetsReceived.isEmpty());
            assertThat(upstream.resetsReceived).containsExactly(8L); // CANCEL
            assertThat(loggedLine()).contains("\"status\":504,\"grpc_status\":4,");
            assertThat(admin("/metrics")).contains("gateway_grpc_responses_total{route=\"grpc\",grpc_status=\"4\",} 1.0");
        }
    }

    @Test
    void aStreamGoingOnAtItsDeadlineEndsWithDeadlineExceededTrailers() throws Exception {
        try (ServerSocket upstream = new ServerSocket(0, 16, InetAddress.getLoopbackAddress())) {
            CompletableFuture<Void> upstreamClosed = new CompletableFuture<>();
            upstreamThreads.execute(() -> acceptEach(upstream, upstreamClosed));
            startGateway("http://127.0.0.1:" + upstream.getLocalPort());

            H2cTestClient.Stream call = client.request("POST", "/test.Echo/Watch", STREAM_WITH_DEADLINE);
            call.ended.get(WAIT.toSeconds(), TimeUnit.SECONDS);

            assertThat(call.bodyBytes.get()).as("the message sent before the deadline").isEqualTo(MESSAGE.length);
            assertThat(call.headerBlocks).as("the response head, then trailers").hasSize(2);
            assertThat(call.headerBlocks.get(0).status()).hasToString("200");
            Http2Headers trailers = call.headerBlocks.get(1);
            assertThat(trailers.get("grpc-status")).hasToString("4");
            assertThat(trailers.get("grpc-message")).hasToString("deadline_exceeded");
            upstreamClosed.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(loggedLine()).contains("\"status\":200,\"grpc_status\":4,");
        }
    }

    /** Serves each connection the gateway opens on a thread of its own. */
    private void acceptEach(ServerSocket server, CompletableFuture<Void> closedAfterAnswer) {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                upstreamThreads.execute(() -> answerOneMessageAndHold(socket, closedAfterAnswer));
            } catch (IOException e) {
                return;
            }
        }
    }

    /** Answers a response head and one message, then reads until the gateway closes the connection. */
    private static void answerOneMessageAndHold(Socket socket, CompletableFuture<Void> closedAfterAnswer) {
        try (socket) {
            InputStream in = socket.getInputStream();
            if (!readHead(in)) {
                return;
            }
            OutputStream out = socket.getOutputStream();
            out.write(("HTTP/1.1 200 OK\r\ncontent-type: application/grpc\r\ntransfer-encoding: chunked\r\n\r\n"
                    + Integer.toHexString(MESSAGE.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(MESSAGE);
            out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            while (in.read() >= 0) {
                // what follows the head is not looked at
            }
            closedAfterAnswer.complete(null);
        } catch (IOException e) {
            closedAfterAnswer.complete(null); // a reset is the gateway closing too
        }
    }

    /** Reads up to the blank line ending a request head; false when the connection closed first. */
    private static boolean readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0) {
            head.write(b);
            if (head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
                return true;
            }
        }
        return false;
    }

    private String loggedLine() throws Exception {
        await().atMost(WAIT).until(() -> Files.exists(accessLog()) && !Files.readAllLines(accessLog()).isEmpty());
        List<String> lines = Files.readAllLines(accessLog(), StandardCharsets.UTF_8);
        assertThat(lines).hasSize(1);
        return lines.get(0);
    }

    private String admin(String path) throws Exception {
        return TestGateway.client().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + gateway.adminPort() + path)).timeout(WAIT).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }
}
