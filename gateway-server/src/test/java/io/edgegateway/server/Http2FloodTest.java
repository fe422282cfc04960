package io.edgegateway.server;

import static io.edgegateway.server.RawH2Connection.ACK;
import static io.edgegateway.server.RawH2Connection.CONTINUATION;
import static io.edgegateway.server.RawH2Connection.ENHANCE_YOUR_CALM;
import static io.edgegateway.server.RawH2Connection.FLOW_CONTROL_ERROR;
import static io.edgegateway.server.RawH2Connection.FRAME_SIZE_ERROR;
import static io.edgegateway.server.RawH2Connection.PING;
import static io.edgegateway.server.RawH2Connection.PROTOCOL_ERROR;
import static io.edgegateway.server.RawH2Connection.SETTINGS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.edgegateway.loadtest.upstream.MockUpstream;
import io.edgegateway.testkit.TestCertificate;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Floods and protocol errors from raw HTTP/2 frames on real sockets: each ends in a GOAWAY with the
 * right error code and a closed connection, after a bounded part of the flood was processed. The
 * limits are set low here so that one write of frames is always over them; their defaults are
 * exercised by the legitimate traffic in {@link Http2LegitimateTrafficTest}.
 */
class Http2FloodTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final int MAX_RESETS = 50;
    private static final int MAX_CONTROL_FRAMES = 100;
    private static final int MAX_SETTINGS = 5;

    private MockUpstream upstream;
    private TestGateway gateway;

    private void start(String http2) throws Exception {
        upstream = MockUpstream.builder().name("flood-upstream").start();
        gateway = TestGateway.start("""
                routes = [ { id = all, match { path-prefix = "/" }, upstreams = ["http://127.0.0.1:%d"], timeouts { response = 60s } } ]
                listen.http2 { %s }
                """.formatted(upstream.port(), http2));
    }

    private void startWithLowLimits() throws Exception {
        start("max-resets-per-window = %d, reset-window = 60s, max-control-frames-per-second = %d, max-settings-per-second = %d"
                .formatted(MAX_RESETS, MAX_CONTROL_FRAMES, MAX_SETTINGS));
    }

    @AfterEach
    void stop() {
        gateway.close();
        upstream.close();
    }

    /** The GOAWAY's error code, once the gateway has also closed the connection. */
    private static long goAwayAndClose(RawH2Connection client) throws Exception {
        long code = client.goAway().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        client.closed().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        return code;
    }

    @Test
    void rapidResetEndsInEnhanceYourCalmWhileAnotherClientIsServed() throws Exception {
        startWithLowLimits();
        try (RawH2Connection attacker = RawH2Connection.open(gateway.port());
                H2cTestClient other = new H2cTestClient(gateway.port())) {
            CompletableFuture<Void> attack = CompletableFuture.runAsync(() -> {
                for (int stream = 1; stream < 20_000; stream += 2) {
                    byte[] openAndCancel = RawH2Connection.concat(RawH2Connection.get(stream, "/slow?delay=10s", true),
                            RawH2Connection.rst(stream, RawH2Connection.CANCEL));
                    if (attacker.writeUntilClosed(openAndCancel, 1) == 0) {
                        return;
                    }
                }
            });

            H2cTestClient.Stream served = other.get("/served");
            assertThat(served.status.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo("200");

            assertThat(goAwayAndClose(attacker)).isEqualTo(ENHANCE_YOUR_CALM);
            attack.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            // At most one upstream connection per stream the gateway took before the limit, and the other client's.
            assertThat(upstream.connectionsAccepted()).isLessThanOrEqualTo(MAX_RESETS + 2);
            H2cTestClient.Stream again = other.get("/still-served");
            assertThat(again.status.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo("200");
        }
    }

    @Test
    void aSettingsFloodEndsInEnhanceYourCalm() throws Exception {
        startWithLowLimits();
        try (RawH2Connection client = RawH2Connection.open(gateway.port())) {
            client.writeUntilClosed(RawH2Connection.repeat(RawH2Connection.settings(0x3, 100), 1000), 100);

            assertThat(goAwayAndClose(client)).isEqualTo(ENHANCE_YOUR_CALM);
            assertThat(client.count(SETTINGS, ACK)).as("acknowledged before the limit").isLessThan(1000);
        }
    }

    @Test
    void aPingFloodFromAClientReadingItsAcksEndsInEnhanceYourCalm() throws Exception {
        startWithLowLimits();
        try (RawH2Connection client = RawH2Connection.open(gateway.port())) {
            client.writeUntilClosed(RawH2Connection.repeat(RawH2Connection.ping(42, false), 5000), 100);

            assertThat(goAwayAndClose(client)).isEqualTo(ENHANCE_YOUR_CALM);
            assertThat(client.count(PING, ACK)).as("acknowledged before the limit").isLessThan(5000);
        }
    }

    @Test
    void aFloodOverTlsIsCountedOnTheDecryptedFrames(@TempDir Path dir) throws Exception {
        TestCertificate localhost = TestCertificate.create(dir, "localhost", "localhost");
        upstream = MockUpstream.builder().name("flood-upstream").start();
        gateway = TestGateway.start("""
                listen { tls { cert-file = "%s", key-file = "%s" }, http2.max-control-frames-per-second = %d }
                routes = [ %s ]
                """.formatted(localhost.certFile(), localhost.keyFile(), MAX_CONTROL_FRAMES,
                TestGateway.route("all", "/", upstream.port())));
        SSLContext tls = TestCertificate.trusting(localhost);

        try (RawH2Connection served = RawH2Connection.overTls(gateway.port(), tls)) {
            served.write(RawH2Connection.get(1, "/over-tls", true));
            await().atMost(WAIT).until(() -> served.onStream(1).stream()
                    .anyMatch(f -> (f.flags() & RawH2Connection.END_STREAM) != 0));
        }
        try (RawH2Connection client = RawH2Connection.overTls(gateway.port(), tls)) {
            client.writeUntilClosed(RawH2Connection.repeat(RawH2Connection.ping(42, false), 5000), 100);

            assertThat(goAwayAndClose(client)).isEqualTo(ENHANCE_YOUR_CALM);
        }
    }

    @Test
    void aPingFloodFromAClientThatNeverReadsIsClosedWithBoundedMemory() throws Exception {
        // No rate limit to speak of: the acknowledgements waiting for this client are what stops it.
        start("max-control-frames-per-second = 2000000000, max-queued-control-frames = 100");
        try (RawH2Connection client = new RawH2Connection(gateway.port(), 4096)) {
            byte[] pings = RawH2Connection.repeat(RawH2Connection.ping(7, false), 1000);

            // At most 1 GB of pings: far more than the socket buffers on both sides, and so than
            // the acknowledgements the gateway could ever hand to its kernel.
            int writes = client.writeUntilClosed(pings, 60_000);

            assertThat(writes).as("the gateway closed the connection").isLessThan(60_000);
            client.startReading();
            client.closed().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        }
    }

    @Test
    void aPriorityFloodEndsInEnhanceYourCalm() throws Exception {
        startWithLowLimits();
        try (RawH2Connection client = RawH2Connection.open(gateway.port())) {
            byte[] priorities = new byte[0];
            for (int stream = 1; stream < 2000; stream += 2) {
                priorities = RawH2Connection.concat(priorities, RawH2Connection.priority(stream, stream + 2));
            }
            client.writeUntilClosed(priorities, 100);

            assertThat(goAwayAndClose(client)).isEqualTo(ENHANCE_YOUR_CALM);
        }
    }

    @Test
    void aWindowUpdateFloodEndsInEnhanceYourCalm() throws Exception {
        startWithLowLimits();
        try (RawH2Connection client = RawH2Connection.open(gateway.port())) {
            client.writeUntilClosed(RawH2Connection.repeat(RawH2Connection.windowUpdate(0, 1), 5000), 100);

            assertThat(goAwayAndClose(client)).isEqualTo(ENHANCE_YOUR_CALM);
        }
    }

    @Test
    void aWindowUpdateFloodOnAClosedStreamEndsInEnhanceYourCalm() throws Exception {
        startWithLowLimits();
        try (RawH2Connection client = RawH2Connection.open(gateway.port())) {
            client.write(RawH2Connection.get(1, "/done", true));
            await().atMost(WAIT).until(() -> client.onStream(1).stream()
                    .anyMatch(f -> (f.flags() & RawH2Connection.END_STREAM) != 0));

            // The codec ignores these without telling anyone; they are counted all the same.
            client.writeUntilClosed(RawH2Connection.repeat(RawH2Connection.windowUpdate(1, 1), 5000), 100);

            assertThat(goAwayAndClose(client)).isEqualTo(ENHANCE_YOUR_CALM);
        }
    }

    @Test
    void anEmptyDataFloodEndsInEnhanceYourCalm() throws Exception {
        startWithLowLimits();
        try (RawH2Connection client = RawH2Connection.open(gateway.port())) {
            client.write(RawH2Connection.headers(1, false, ":method", "POST", ":scheme", "http", ":path", "/upload",
                    ":authority", "localhost"));
            client.writeUntilClosed(RawH2Connection.repeat(RawH2Connection.data(1, new byte[0], false), 1000), 100);

            assertThat(goAwayAndClose(client)).isEqualTo(ENHANCE_YOUR_CALM);
        }
    }

    @Test
    void aFloodOfSmallContinuationFramesEndsInEnhanceYourCalm() throws Exception {
        startWithLowLimits();
        try (RawH2Connection client = RawH2Connection.open(gateway.port())) {
            byte[] block = RawH2Connection.headerBlock(":method", "GET", ":scheme", "http", ":path", "/", "x-a", "b");
            // A header block that never ends: HEADERS without END_HEADERS, then CONTINUATION frames of one byte.
            client.write(RawH2Connection.frame(RawH2Connection.HEADERS, RawH2Connection.END_STREAM, 1, block));
            client.writeUntilClosed(RawH2Connection.repeat(RawH2Connection.frame(CONTINUATION, 0, 1, new byte[] {'x'}), 1000), 100);

            assertThat(goAwayAndClose(client)).isEqualTo(ENHANCE_YOUR_CALM);
        }
    }

    @Test
    void aHeaderBlockGrowingWithoutEndIsAProtocolError() throws Exception {
        startWithLowLimits();
        try (RawH2Connection client = RawH2Connection.open(gateway.port())) {
            byte[] block = RawH2Connection.headerBlock(":method", "GET", ":scheme", "http", ":path", "/");
            client.write(RawH2Connection.frame(RawH2Connection.HEADERS, RawH2Connection.END_STREAM, 1, block));
            // Large fragments are not "small", but the block outgrows the header list limit.
            client.writeUntilClosed(RawH2Connection.frame(CONTINUATION, 0, 1, new byte[12_000]), 1000);

            assertThat(goAwayAndClose(client)).isEqualTo(PROTOCOL_ERROR);
        }
    }

    @Test
    void dataOnStreamZeroIsAProtocolError() throws Exception {
        startWithLowLimits();
        try (RawH2Connection client = RawH2Connection.open(gateway.port())) {
            client.write(RawH2Connection.data(0, new byte[] {1, 2, 3}, false));

            assertThat(goAwayAndClose(client)).isEqualTo(PROTOCOL_ERROR);
        }
    }

    @Test
    void aStreamIdTheClientMayNotUseIsAProtocolError() throws Exception {
        startWithLowLimits();
        try (RawH2Connection client = RawH2Connection.open(gateway.port())) {
            client.write(RawH2Connection.get(2, "/even", true));

            assertThat(goAwayAndClose(client)).isEqualTo(PROTOCOL_ERROR);
        }
    }

    @Test
    void aFrameOverTheMaxFrameSizeIsAFrameSizeError() throws Exception {
        startWithLowLimits();
        try (RawH2Connection client = RawH2Connection.open(gateway.port())) {
            client.write(RawH2Connection.headers(1, false, ":method", "POST", ":scheme", "http", ":path", "/upload",
                    ":authority", "localhost"));
            client.write(RawH2Connection.data(1, new byte[16_385], true));

            assertThat(goAwayAndClose(client)).isEqualTo(FRAME_SIZE_ERROR);
        }
    }

    @Test
    void aPingOfTheWrongLengthIsAFrameSizeError() throws Exception {
        startWithLowLimits();
        try (RawH2Connection client = RawH2Connection.open(gateway.port())) {
            client.write(RawH2Connection.frame(PING, 0, 0, new byte[5]));

            assertThat(goAwayAndClose(client)).isEqualTo(FRAME_SIZE_ERROR);
        }
    }

    @Test
    void aWindowUpdateOverflowingTheConnectionWindowIsAFlowControlError() throws Exception {
        startWithLowLimits();
        try (RawH2Connection client = RawH2Connection.open(gateway.port())) {
            client.write(RawH2Connection.windowUpdate(0, Integer.MAX_VALUE));

            assertThat(goAwayAndClose(client)).isEqualTo(FLOW_CONTROL_ERROR);
        }
    }

    @Test
    void aWindowUpdateOverflowingAStreamWindowResetsTheStreamAndTheConnectionGoesOn() throws Exception {
        startWithLowLimits();
        try (RawH2Connection client = RawH2Connection.open(gateway.port())) {
            client.write(RawH2Connection.headers(1, false, ":method", "POST", ":scheme", "http", ":path", "/upload",
                    ":authority", "localhost"));
            client.write(RawH2Connection.windowUpdate(1, Integer.MAX_VALUE));

            await().atMost(WAIT).until(() -> client.onStream(1).stream().anyMatch(f -> f.type() == RawH2Connection.RST_STREAM));
            assertThat(client.onStream(1).stream().filter(f -> f.type() == RawH2Connection.RST_STREAM).findFirst()
                    .orElseThrow().errorCode()).isEqualTo(FLOW_CONTROL_ERROR);

            client.write(RawH2Connection.get(3, "/next", true));
            await().atMost(WAIT).until(() -> client.onStream(3).stream()
                    .anyMatch(f -> (f.flags() & RawH2Connection.END_STREAM) != 0));
            assertThat(client.goAway()).isNotDone();
        }
    }
}
