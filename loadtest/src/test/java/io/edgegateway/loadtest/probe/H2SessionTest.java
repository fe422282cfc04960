package io.edgegateway.loadtest.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** H2Session against a scripted server on a real socket. */
class H2SessionTest {

    /** Reads the preface and {@code framesBefore} frames, then sends SETTINGS and GOAWAY(code) and closes its side. */
    private static CompletableFuture<Void> goawayServer(ServerSocket server, int framesBefore, int code) {
        return CompletableFuture.runAsync(() -> {
            try (Socket socket = server.accept()) {
                DataInputStream in = new DataInputStream(socket.getInputStream());
                in.readFully(new byte[H2Frames.PREFACE.length]);
                for (int i = 0; i < framesBefore + 1; i++) { // + the client's SETTINGS
                    byte[] header = new byte[9];
                    in.readFully(header);
                    in.readFully(new byte[(header[0] & 0xff) << 16 | (header[1] & 0xff) << 8 | header[2] & 0xff]);
                }
                OutputStream out = socket.getOutputStream();
                out.write(H2Frames.settings());
                out.write(H2Frames.frame(H2Frames.GOAWAY, 0, 0, ByteBuffer.allocate(8).putInt(0).putInt(code).array()));
                out.flush();
                socket.shutdownOutput();
                InputStream rest = socket.getInputStream();
                while (rest.read(new byte[8192]) >= 0) {
                    // drained, so closing sends no reset that would destroy the GOAWAY
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, ProbeThreads.named("h2-test-server"));
    }

    @Test
    void reportsTheGoawayCodeAndTheEnd() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<Void> served = goawayServer(server, 3, 0xb);
            ProbeTarget target = new ProbeTarget("127.0.0.1", 1, server.getLocalPort(), Duration.ofSeconds(10));
            ClientOutcome outcome = H2Session.run(target, H2Plans.pingFlood(3), false);
            served.get(10, TimeUnit.SECONDS);
            assertTrue(outcome.summary().startsWith("GOAWAY ENHANCE_YOUR_CALM after 3 of 3 frames"), outcome.summary());
            assertTrue(outcome.summary().contains("closed after 3 frames"), outcome.summary());
            assertTrue(outcome.closed());
        }
    }

    @Test
    void aSingleRequestWaitsForItsAnswer() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<Void> served = CompletableFuture.runAsync(() -> {
                try (Socket socket = server.accept()) {
                    DataInputStream in = new DataInputStream(socket.getInputStream());
                    in.readFully(new byte[H2Frames.PREFACE.length + 9]); // preface, empty SETTINGS
                    byte[] header = new byte[9];
                    in.readFully(header);
                    in.readFully(new byte[(header[1] & 0xff) << 8 | header[2] & 0xff]);
                    OutputStream out = socket.getOutputStream();
                    out.write(H2Frames.frame(H2Frames.HEADERS, H2Frames.FLAG_END_HEADERS | H2Frames.FLAG_END_STREAM, 1,
                            new byte[] {(byte) 0x8c}));
                    out.flush();
                    while (in.read(new byte[8192]) >= 0) {
                        // until the probe closes
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }, ProbeThreads.named("h2-test-server"));
            ProbeTarget target = new ProbeTarget("127.0.0.1", 1, server.getLocalPort(), Duration.ofSeconds(10));
            ClientOutcome outcome = H2Session.run(target, H2Plans.single("/pub/a b", "id"), true);
            served.get(10, TimeUnit.SECONDS);
            assertEquals(List.of(400), outcome.statuses());
            assertEquals("open, responses 400×1", outcome.summary());
        }
    }
}
