package io.edgegateway.loadtest.upstream;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The mock upstream through java.net.http, the way a test of the gateway would call it. */
class MockUpstreamTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(WAIT)
            .build();
    private final MockUpstream upstream = MockUpstream.start(0, LatencyShape.parse("fixed:1ms"));

    @AfterEach
    void closeUpstream() {
        upstream.close();
    }

    private HttpResponse<String> get(MockUpstream target, String pathAndQuery) throws Exception {
        return client.send(HttpRequest.newBuilder(target.uri(pathAndQuery)).build(), BodyHandlers.ofString());
    }

    @Test
    void answersOkAfterItsDelay() throws Exception {
        HttpResponse<String> response = get(upstream, "/anything");
        assertEquals(200, response.statusCode());
        assertEquals("ok\n", response.body());
        assertEquals("text/plain", response.headers().firstValue("content-type").orElseThrow());
        assertEquals("3", response.headers().firstValue("content-length").orElseThrow());
        assertEquals("mock-" + upstream.port(), response.headers().firstValue("x-upstream").orElseThrow());
        assertEquals(1, upstream.requestsServed());
    }

    @Test
    void statusParameterChoosesTheStatus() throws Exception {
        assertEquals(503, get(upstream, "/?status=503").statusCode());
        HttpResponse<String> noContent = get(upstream, "/?status=204");
        assertEquals(204, noContent.statusCode());
        assertEquals("", noContent.body());
    }

    @Test
    void badQueryParametersAreRefusedWith400() throws Exception {
        HttpResponse<String> response = get(upstream, "/?bytes=-1");
        assertEquals(400, response.statusCode());
        assertTrue(response.body().contains("bytes=-1 (expected: an integer 0.."), response.body());
    }

    @Test
    void bytesParameterStreamsAPatternBodyOfThatSize() throws Exception {
        long size = 10_000_000;
        HttpResponse<InputStream> response = client.send(
                HttpRequest.newBuilder(upstream.uri("/download?bytes=" + size)).build(), BodyHandlers.ofInputStream());
        assertEquals(Long.toString(size), response.headers().firstValue("content-length").orElseThrow());
        long offset = 0;
        try (InputStream body = response.body()) {
            byte[] buffer = new byte[64 * 1024];
            for (int read = body.read(buffer); read >= 0; read = body.read(buffer)) {
                for (int i = 0; i < read; i++, offset++) {
                    if (buffer[i] != PatternBody.byteAt(offset)) {
                        throw new AssertionError("byte " + offset + " is " + buffer[i]);
                    }
                }
            }
        }
        assertEquals(size, offset);
    }

    @Test
    void uploadsAreCountedAsTheyStream() throws Exception {
        int size = 5 * 1024 * 1024 + 7;
        HttpResponse<String> sized = client.send(HttpRequest.newBuilder(upstream.uri("/upload"))
                .POST(BodyPublishers.ofByteArray(new byte[size])).build(), BodyHandlers.ofString());
        assertEquals("{\"received\":" + size + "}\n", sized.body());
        assertEquals(Integer.toString(size), sized.headers().firstValue("x-received-bytes").orElseThrow());
        assertEquals(size, upstream.lastRequest().orElseThrow().bodyBytes());

        HttpResponse<String> chunked = client.send(HttpRequest.newBuilder(upstream.uri("/upload"))
                .PUT(BodyPublishers.ofInputStream(() -> InputStream.nullInputStream())).build(), BodyHandlers.ofString());
        assertEquals("{\"received\":0}\n", chunked.body());
    }

    @Test
    void echoDescribesTheRequest() throws Exception {
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(upstream.uri("/api/echo?x=1"))
                .header("X-Multi", "a").header("X-Multi", "b").header("X-Quote", "say \"hi\"")
                .POST(BodyPublishers.ofString("12345")).build(), BodyHandlers.ofString());
        String json = response.body();
        assertEquals("application/json", response.headers().firstValue("content-type").orElseThrow());
        assertTrue(json.startsWith("{\"method\":\"POST\",\"uri\":\"/api/echo?x=1\",\"headers\":{"), json);
        assertTrue(json.contains("\"x-multi\":[\"a\",\"b\"]"), json);
        assertTrue(json.contains("\"x-quote\":[\"say \\\"hi\\\"\"]"), json);
        assertTrue(json.contains("\"host\":[\"127.0.0.1:" + upstream.port() + "\"]"), json);
        assertTrue(json.endsWith(",\"received\":5}\n"), json);
        assertTrue(get(upstream, "/other?echo=true").body().startsWith("{\"method\":\"GET\""));
    }

    @Test
    void recordsWhatItReceived() throws Exception {
        client.send(HttpRequest.newBuilder(upstream.uri("/first")).build(), BodyHandlers.discarding());
        client.send(HttpRequest.newBuilder(upstream.uri("/second?q=1")).header("X-Forwarded-For", "10.0.0.1")
                .header("X-Forwarded-For", "10.0.0.2").build(), BodyHandlers.discarding());
        List<RecordedRequest> recorded = upstream.recordedRequests();
        assertEquals(List.of("/first", "/second"), recorded.stream().map(RecordedRequest::path).toList());
        RecordedRequest second = recorded.get(1);
        assertEquals("GET", second.method());
        assertEquals("/second?q=1", second.uri());
        assertEquals(List.of("10.0.0.1", "10.0.0.2"), second.headers("x-forwarded-for"));
        assertEquals("10.0.0.1", second.header("X-FORWARDED-FOR"));
        assertEquals(null, second.header("x-absent"));
        upstream.clearRecordedRequests();
        assertTrue(upstream.recordedRequests().isEmpty());
    }

    @Test
    void keepsOnlyTheLatestRequests() throws Exception {
        try (MockUpstream small = MockUpstream.builder().recordedRequestsLimit(3).start()) {
            for (int i = 1; i <= 5; i++) {
                get(small, "/" + i);
            }
            assertEquals(List.of("/3", "/4", "/5"), small.recordedRequests().stream().map(RecordedRequest::uri).toList());
        }
    }

    @Test
    void sequentialRequestsShareOneKeptAliveConnection() throws Exception {
        for (int i = 0; i < 50; i++) {
            assertEquals(200, get(upstream, "/" + i).statusCode());
        }
        assertEquals(1, upstream.connectionsAccepted());
        assertEquals(50, upstream.requestsServed());
        assertTrue(upstream.recordedRequests().stream().allMatch(request -> request.connection() == 1));
    }

    @Test
    void resetAfterBreaksTheBodyOff() {
        HttpRequest request = HttpRequest.newBuilder(upstream.uri("/?reset-after=1000")).build();
        assertThrows(IOException.class, () -> client.send(request, BodyHandlers.ofByteArray()));
        await().atMost(WAIT).until(() -> upstream.connectionsOpen() == 0);
    }

    @Test
    void theNameIsSentInXUpstream() throws Exception {
        try (MockUpstream blue = MockUpstream.builder().name("blue").start()) {
            assertEquals("blue", blue.name());
            assertEquals("blue", get(blue, "/").headers().firstValue("x-upstream").orElseThrow());
        }
    }

    @Test
    void theDelayHoldsTheAnswerOnTheInjectedClock() throws Exception {
        long hour = Duration.ofHours(1).toNanos();
        AtomicLong clock = new AtomicLong();
        LatencyShape slowForAnHour = (elapsedNanos, random) -> elapsedNanos < hour ? hour : 0;
        try (MockUpstream slow = MockUpstream.builder().latency(slowForAnHour).nanoClock(clock::get).start()) {
            CompletableFuture<HttpResponse<String>> held =
                    client.sendAsync(HttpRequest.newBuilder(slow.uri("/held")).build(), BodyHandlers.ofString());
            await().atMost(WAIT).until(() -> slow.lastRequest().isPresent());
            assertEquals(0, slow.requestsServed());

            clock.set(hour);
            assertEquals(200, get(slow, "/quick").statusCode());
            assertFalse(held.isDone(), "the first request still waits for its hour");

            slow.close();
            await().atMost(WAIT).until(held::isDone);
            assertTrue(held.isCompletedExceptionally(), "closing drops the held connection");
        }
    }

    @Test
    void listensOnItsBaseUrl() {
        assertEquals(URI.create("http://127.0.0.1:" + upstream.port() + "/x"), upstream.uri("/x"));
        assertEquals("fixed:1ms", upstream.latency().spec());
    }
}
