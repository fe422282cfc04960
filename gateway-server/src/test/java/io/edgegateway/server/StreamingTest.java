package io.edgegateway.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.edgegateway.loadtest.upstream.MockUpstream;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A 1 GiB body each way through a gateway whose heap and direct memory are 64 MiB each: the bodies
 * must stream, never gather, and a client that stops reading must stop the upstream too.
 */
class StreamingTest {

    static final long ONE_GIB = 1L << 30;

    @TempDir
    static Path dir;
    static MockUpstream upstream;
    static GatewayProcess gateway;

    @BeforeAll
    static void start() throws Exception {
        upstream = MockUpstream.builder().name("big").start();
        gateway = GatewayProcess.start(dir.resolve("gateway.conf"), """
                limits { max-body-bytes = 2g }
                routes = [ { id = big, match { path-prefix = "/" }, upstreams = ["http://127.0.0.1:%d"] } ]
                """.formatted(upstream.port()),
                List.of("-Xmx64m", "-XX:MaxDirectMemorySize=64m"));
    }

    @AfterAll
    static void stop() throws Exception {
        gateway.close();
        upstream.close();
    }

    @Test
    void oneGibDownloadStreamsThrough() throws Exception {
        HttpResponse<InputStream> response = TestGateway.client().send(
                HttpRequest.newBuilder(gateway.uri("/?bytes=" + ONE_GIB)).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.statusCode()).isEqualTo(200);
        try (InputStream body = response.body()) {
            assertThat(drain(body)).isEqualTo(ONE_GIB);
        }
    }

    @Test
    void oneGibUploadStreamsThrough() throws Exception {
        HttpResponse<String> response = TestGateway.client().send(
                HttpRequest.newBuilder(gateway.uri("/upload"))
                        .POST(HttpRequest.BodyPublishers.fromPublisher(
                                HttpRequest.BodyPublishers.ofInputStream(() -> new PatternStream(ONE_GIB)), ONE_GIB))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("x-received-bytes")).hasValue(Long.toString(ONE_GIB));
    }

    @Test
    void aClientThatStopsReadingStopsTheUpstream() throws Exception {
        try (RawHttpConnection connection = new RawHttpConnection(gateway.port())) {
            long before = upstream.bytesSent();
            connection.send("GET /?bytes=" + ONE_GIB + " HTTP/1.1\r\nHost: slow-reader\r\n\r\n");
            InputStream in = connection.input();
            skipHead(in);
            long read = in.readNBytes(1 << 20).length;
            // The client reads nothing more: the upstream must come to a stop long before 1 GiB.
            AtomicLong last = new AtomicLong(-1);
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                    .until(() -> {
                        long sent = upstream.bytesSent();
                        return last.getAndSet(sent) == sent;
                    });
            assertThat(upstream.bytesSent() - before).isLessThan(ONE_GIB / 8);
            // Then it reads on, and gets every byte.
            byte[] buffer = new byte[256 * 1024];
            int n;
            while (read < ONE_GIB && (n = in.read(buffer, 0, (int) Math.min(buffer.length, ONE_GIB - read))) != -1) {
                read += n;
            }
            assertThat(read).isEqualTo(ONE_GIB);
        }
        assertThat(gateway.process().isAlive()).isTrue();
    }

    @Test
    void aHundredMegabytesOnOneHttp2StreamToASlowReader() throws Exception {
        long size = 100L << 20;
        // About 4 s at 25 MB/s: the gateway (64 MiB of heap) must hold back, not buffer.
        ExternalCommand curl = ExternalCommand.run("curl", "-sS", "--http2-prior-knowledge", "--limit-rate", "25M",
                "-o", "/dev/null", "-w", "%{http_code} %{http_version} %{size_download}",
                "http://127.0.0.1:" + gateway.port() + "/?bytes=" + size);

        assertThat(curl.output()).isEqualTo("200 2 " + size);
        assertThat(gateway.process().isAlive()).isTrue();
    }

    @Test
    void aHundredMegabytesUploadedOnOneHttp2Stream() throws Exception {
        long size = 100L << 20;
        Path file = dir.resolve("upload.bin");
        try (InputStream pattern = new PatternStream(size)) {
            Files.copy(pattern, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        ExternalCommand curl = ExternalCommand.run("curl", "-sS", "--http2-prior-knowledge", "--data-binary", "@" + file,
                "-D", "-", "-o", "/dev/null", "-w", "%{http_code} %{http_version}",
                "http://127.0.0.1:" + gateway.port() + "/upload");

        assertThat(curl.output()).contains("x-received-bytes: " + size).endsWith("200 2");
        Files.delete(file);
    }

    private static void skipHead(InputStream in) throws IOException {
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b == -1) {
                throw new IOException("closed inside the response head");
            }
            matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
    }

    private static long drain(InputStream in) throws IOException {
        byte[] buffer = new byte[256 * 1024];
        long total = 0;
        int n;
        while ((n = in.read(buffer)) != -1) {
            total += n;
        }
        return total;
    }

    /** {@code size} bytes of a repeating pattern, made as they are read. */
    private static final class PatternStream extends InputStream {
        private long remaining;

        PatternStream(long size) {
            this.remaining = size;
        }

        @Override
        public int read() {
            return remaining-- > 0 ? 'x' : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (remaining <= 0) {
                return -1;
            }
            int n = (int) Math.min(len, remaining);
            java.util.Arrays.fill(b, off, off + n, (byte) 'x');
            remaining -= n;
            return n;
        }
    }
}
