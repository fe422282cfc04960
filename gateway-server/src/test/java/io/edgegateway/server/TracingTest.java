package io.edgegateway.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.edgegateway.loadtest.upstream.MockUpstream;
import io.edgegateway.loadtest.upstream.RecordedRequest;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Trace context through a real gateway: a real upstream sees the traceparent each try sends, and an
 * OTLP receiver on a real socket decodes the spans the gateway exports.
 */
class TracingTest {

    private static final Pattern TRACEPARENT = Pattern.compile("00-([0-9a-f]{32})-([0-9a-f]{16})-(0[01])");
    private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String CALLER_SPAN = "00f067aa0ba902b7";
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path directory;

    private final List<AutoCloseable> closeables = new ArrayList<>();
    private OtlpReceiver receiver;
    private TestGateway gateway;

    @AfterEach
    void stop() throws Exception {
        // The receiver first: a stalled one lets the exporter go, so the gateway closes at once.
        if (receiver != null) {
            receiver.close();
        }
        if (gateway != null) {
            gateway.close();
        }
        for (AutoCloseable closeable : closeables) {
            closeable.close();
        }
    }

    private MockUpstream upstream(String name) {
        return closeLater(MockUpstream.builder().name(name).start());
    }

    private MockUpstream closeLater(MockUpstream upstream) {
        closeables.add(upstream);
        return upstream;
    }

    /** A gateway with tracing to {@code endpoint} and {@code tracing} keys, one limited route to these ports, and {@code extra}. */
    private TestGateway start(String endpoint, String tracing, String routeExtra, String extra, int... ports)
            throws Exception {
        gateway = TestGateway.start("""
                tracing { otlp-endpoint = "%s", export-interval = 20ms, %s }
                identity { sources = [ { type = header, name = "X-API-Key" } ] }
                %s
                %s
                """.formatted(endpoint, tracing,
                UpstreamRoutes.route("rate-limit { requests = 10000, window = 60s }, " + routeExtra, ports), extra));
        return gateway;
    }

    private HttpResponse<String> get(String path, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(gateway.uri(path)).timeout(WAIT);
        if (headers.length > 0) {
            request.headers(headers);
        }
        return TestGateway.client().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The one request {@code upstream} got for {@code path}. */
    private static RecordedRequest seen(MockUpstream upstream, String path) {
        List<RecordedRequest> matching = upstream.recordedRequests().stream().filter(r -> r.uri().equals(path)).toList();
        assertThat(matching).as("requests for " + path).hasSize(1);
        return matching.get(0);
    }

    /** The traceparent an upstream got, checked to be the only one and valid, as its groups: trace id, parent, flags. */
    private static Matcher traceparent(RecordedRequest request) {
        assertThat(request.headers("traceparent")).hasSize(1);
        Matcher matcher = TRACEPARENT.matcher(request.headers("traceparent").get(0));
        assertThat(matcher.matches()).as(request.headers("traceparent").get(0)).isTrue();
        return matcher;
    }

    private List<OtlpReceiver.Span> awaitTrace(String traceId, int spans) {
        await().atMost(WAIT).until(() -> receiver.trace(traceId).size() >= spans);
        return receiver.trace(traceId);
    }

    private static OtlpReceiver.Span only(List<OtlpReceiver.Span> spans, int kind) {
        List<OtlpReceiver.Span> ofKind = spans.stream().filter(s -> s.kind() == kind).toList();
        assertThat(ofKind).hasSize(1);
        return ofKind.get(0);
    }

    /** An unlabelled sample of the gateway's metrics, or one with these labels (name="value" pairs, as written). */
    private double metric(String name) throws Exception {
        for (String line : gateway.admin("/metrics").body().split("\n")) {
            if (line.startsWith(name + " ")) {
                return Double.parseDouble(line.substring(name.length() + 1).trim());
            }
        }
        return Double.NaN;
    }

    @Test
    void anIncomingTraceparentIsContinuedAndEachTryNamesItsOwnSpanUpstream() throws Exception {
        receiver = OtlpReceiver.start();
        MockUpstream upstream = upstream("up");
        start(receiver.endpoint(), "sample-ratio = 0", "", "", upstream.port());

        HttpResponse<String> response = get("/continued", "traceparent", "00-" + TRACE_ID + "-" + CALLER_SPAN + "-01",
                "tracestate", "vendor=a,other=b", "X-API-Key", "alice");

        assertThat(response.statusCode()).isEqualTo(200);
        RecordedRequest forwarded = seen(upstream, "/continued");
        Matcher sent = traceparent(forwarded);
        assertThat(sent.group(1)).isEqualTo(TRACE_ID);
        assertThat(sent.group(2)).isNotEqualTo(CALLER_SPAN);
        assertThat(sent.group(3)).isEqualTo("01");
        assertThat(forwarded.headers("tracestate")).containsExactly("vendor=a,other=b");

        List<OtlpReceiver.Span> trace = awaitTrace(TRACE_ID, 2);
        assertThat(trace).hasSize(2);
        OtlpReceiver.Span server = only(trace, OtlpReceiver.SERVER);
        OtlpReceiver.Span client = only(trace, OtlpReceiver.CLIENT);
        assertThat(server.parentSpanId()).isEqualTo(CALLER_SPAN);
        assertThat(server.name()).isEqualTo("GET r");
        assertThat(server.serviceName()).isEqualTo("gateway");
        assertThat(server.json().path("traceState").asText()).isEqualTo("vendor=a,other=b");
        assertThat(server.attribute("gateway.route")).isEqualTo("r");
        assertThat(server.attribute("http.request.method")).isEqualTo("GET");
        assertThat(server.attribute("url.path")).isEqualTo("/continued");
        assertThat(server.attribute("http.response.status_code")).isEqualTo("200");
        assertThat(server.attribute("gateway.identity.kind")).isEqualTo("header");
        assertThat(server.attribute("gateway.ratelimit.decision")).isEqualTo("allowed");
        assertThat(server.attribute("gateway.shed")).isEqualTo("false");
        assertThat(server.json().toString()).doesNotContain("alice");
        assertThat(server.isError()).isFalse();

        assertThat(client.parentSpanId()).isEqualTo(server.spanId());
        assertThat(client.spanId()).isEqualTo(sent.group(2));
        assertThat(client.attribute("gateway.upstream")).isEqualTo(UpstreamRoutes.label(upstream.port()));
        assertThat(client.attribute("server.port")).isEqualTo(Integer.toString(upstream.port()));
        assertThat(client.attribute("gateway.attempt")).isEqualTo("1");
        assertThat(client.attribute("gateway.attempt.kind")).isEqualTo("first");
        assertThat(client.attribute("gateway.attempt.outcome")).isEqualTo("success");
        assertThat(client.attribute("http.response.status_code")).isEqualTo("200");
        long serverStart = server.json().path("startTimeUnixNano").asLong();
        long serverEnd = server.json().path("endTimeUnixNano").asLong();
        long clientStart = client.json().path("startTimeUnixNano").asLong();
        long clientEnd = client.json().path("endTimeUnixNano").asLong();
        assertThat(serverStart).isPositive().isLessThanOrEqualTo(clientStart);
        assertThat(clientStart).isLessThanOrEqualTo(clientEnd);
        assertThat(clientEnd).isLessThanOrEqualTo(serverEnd);
        assertThat(receiver.contentTypes()).contains("application/json");
        await().atMost(WAIT).until(() -> metric("gateway_tracing_spans_exported_total") == 2);
    }

    @Test
    void withoutATraceparentANewTraceStartsAndItsIdIsInTheAccessLog() throws Exception {
        receiver = OtlpReceiver.start();
        MockUpstream upstream = upstream("up");
        Path log = directory.resolve("access.log");
        start(receiver.endpoint(), "sample-ratio = 1", "",
                "access-log { enabled = true, path = \"" + log.toString().replace("\\", "/") + "\" }", upstream.port());

        // A tracestate without a traceparent belongs to no trace: it is not passed on.
        assertThat(get("/new", "tracestate", "orphan=1").statusCode()).isEqualTo(200);

        RecordedRequest forwarded = seen(upstream, "/new");
        Matcher sent = traceparent(forwarded);
        String traceId = sent.group(1);
        assertThat(sent.group(3)).isEqualTo("01");
        assertThat(forwarded.headers("tracestate")).isEmpty();
        List<OtlpReceiver.Span> trace = awaitTrace(traceId, 2);
        OtlpReceiver.Span server = only(trace, OtlpReceiver.SERVER);
        assertThat(server.parentSpanId()).isEmpty();
        assertThat(server.attribute("gateway.identity.kind")).isEqualTo("none");
        assertThat(only(trace, OtlpReceiver.CLIENT).spanId()).isEqualTo(sent.group(2));

        await().atMost(WAIT).until(() -> Files.exists(log) && !Files.readAllLines(log, StandardCharsets.UTF_8).isEmpty());
        assertThat(Files.readAllLines(log, StandardCharsets.UTF_8).get(0)).contains("\"trace_id\":\"" + traceId + "\"");
    }

    @Test
    void aRetryGivesTwoAttemptSpansUnderOneRequestSpan() throws Exception {
        receiver = OtlpReceiver.start();
        int stopped = UpstreamRoutes.stoppedPort();
        MockUpstream live = upstream("live");
        // route-defaults' retries: attempts = 2, on = [connect-failure]
        start(receiver.endpoint(), "sample-ratio = 1", "outlier-detection = off", "", stopped, live.port());

        // Round-robin over two instances: of two requests, one tries the stopped instance first.
        Optional<List<OtlpReceiver.Span>> retried = Optional.empty();
        for (int i = 0; i < 2; i++) {
            assertThat(get("/retry/" + i).statusCode()).isEqualTo(200);
            Matcher sent = traceparent(seen(live, "/retry/" + i));
            String traceId = sent.group(1);
            // A request's spans are queued together, the try that answered last: once it is in, all are.
            await().atMost(WAIT).until(() -> receiver.trace(traceId).stream().anyMatch(s -> s.spanId().equals(sent.group(2))));
            if (receiver.trace(traceId).size() == 3) {
                retried = Optional.of(receiver.trace(traceId));
            }
        }

        assertThat(retried).isPresent();
        List<OtlpReceiver.Span> trace = retried.get();
        OtlpReceiver.Span server = only(trace, OtlpReceiver.SERVER);
        List<OtlpReceiver.Span> tries = trace.stream().filter(s -> s.kind() == OtlpReceiver.CLIENT)
                .sorted((a, b) -> a.attribute("gateway.attempt").compareTo(b.attribute("gateway.attempt"))).toList();
        assertThat(tries).hasSize(2).allMatch(t -> t.parentSpanId().equals(server.spanId()));
        OtlpReceiver.Span first = tries.get(0);
        OtlpReceiver.Span second = tries.get(1);
        assertThat(first.attribute("gateway.attempt")).isEqualTo("1");
        assertThat(first.attribute("gateway.attempt.kind")).isEqualTo("first");
        assertThat(first.attribute("gateway.attempt.outcome")).isEqualTo("connect_failed");
        assertThat(first.attribute("error.type")).isEqualTo("connect_failed");
        assertThat(first.attribute("gateway.upstream")).isEqualTo(UpstreamRoutes.label(stopped));
        assertThat(first.attribute("http.response.status_code")).isNull();
        assertThat(first.isError()).isTrue();
        assertThat(second.attribute("gateway.attempt")).isEqualTo("2");
        assertThat(second.attribute("gateway.attempt.kind")).isEqualTo("retry");
        assertThat(second.attribute("gateway.attempt.outcome")).isEqualTo("success");
        assertThat(second.attribute("gateway.upstream")).isEqualTo(UpstreamRoutes.label(live.port()));
        assertThat(second.isError()).isFalse();
        assertThat(first.spanId()).isNotEqualTo(second.spanId());
        // The instance that answered saw the second try's span as its parent.
        String path = server.attribute("url.path");
        assertThat(traceparent(seen(live, path)).group(2)).isEqualTo(second.spanId());
    }

    @Test
    void aHedgeIsAnAttemptSpanOfItsOwnBesideTheTryItRacedAndBeat() throws Exception {
        receiver = OtlpReceiver.start();
        MockUpstream slow = closeLater(MockUpstream.builder().name("slow").latency("fixed:20s").start());
        MockUpstream fast = upstream("fast");
        start(receiver.endpoint(), "sample-ratio = 1", "hedge { after = 50ms, max-extra-percent = 100 }, "
                + "timeouts { response = 30s }", "", slow.port(), fast.port());

        Optional<List<OtlpReceiver.Span>> hedged = Optional.empty();
        for (int i = 0; i < 2 && hedged.isEmpty(); i++) {
            assertThat(get("/hedge/" + i).statusCode()).isEqualTo(200);
            Matcher sent = traceparent(seen(fast, "/hedge/" + i));
            String traceId = sent.group(1);
            await().atMost(WAIT).until(() -> receiver.trace(traceId).stream().anyMatch(s -> s.spanId().equals(sent.group(2))));
            List<OtlpReceiver.Span> trace = receiver.trace(traceId);
            if (trace.stream().anyMatch(s -> "hedge".equals(s.attribute("gateway.attempt.kind")))) {
                hedged = Optional.of(trace);
            }
        }

        assertThat(hedged).as("round-robin sent a first try to the slow instance").isPresent();
        OtlpReceiver.Span server = only(hedged.get(), OtlpReceiver.SERVER);
        OtlpReceiver.Span first = hedged.get().stream().filter(s -> "first".equals(s.attribute("gateway.attempt.kind")))
                .findFirst().orElseThrow();
        OtlpReceiver.Span hedge = hedged.get().stream().filter(s -> "hedge".equals(s.attribute("gateway.attempt.kind")))
                .findFirst().orElseThrow();
        assertThat(hedged.get()).hasSize(3);
        assertThat(first.parentSpanId()).isEqualTo(server.spanId());
        assertThat(hedge.parentSpanId()).isEqualTo(server.spanId());
        assertThat(first.attribute("gateway.upstream")).isEqualTo(UpstreamRoutes.label(slow.port()));
        assertThat(first.attribute("gateway.attempt.outcome")).isEqualTo("cancelled");
        assertThat(first.isError()).isFalse();
        assertThat(hedge.attribute("gateway.upstream")).isEqualTo(UpstreamRoutes.label(fast.port()));
        assertThat(hedge.attribute("gateway.attempt")).isEqualTo("2");
        assertThat(hedge.attribute("gateway.attempt.outcome")).isEqualTo("success");
    }

    @Test
    void aMalformedTraceparentIsReplacedNotRefused() throws Exception {
        receiver = OtlpReceiver.start();
        MockUpstream upstream = upstream("up");
        start(receiver.endpoint(), "sample-ratio = 1", "", "", upstream.port());

        HttpResponse<String> response = get("/malformed",
                "traceparent", "00-" + TRACE_ID.toUpperCase() + "-" + CALLER_SPAN + "-01", "tracestate", "vendor=a");

        assertThat(response.statusCode()).isEqualTo(200);
        RecordedRequest forwarded = seen(upstream, "/malformed");
        String traceId = traceparent(forwarded).group(1);
        assertThat(traceId).isNotEqualTo(TRACE_ID);
        assertThat(forwarded.headers("tracestate")).isEmpty();
        OtlpReceiver.Span server = only(awaitTrace(traceId, 2), OtlpReceiver.SERVER);
        assertThat(server.parentSpanId()).isEmpty();
        assertThat(receiver.trace(TRACE_ID)).isEmpty();
    }

    @Test
    void anUnsampledTraceIsPropagatedButNothingOfItIsExported() throws Exception {
        receiver = OtlpReceiver.start();
        MockUpstream upstream = upstream("up");
        start(receiver.endpoint(), "sample-ratio = 0", "", "", upstream.port());

        assertThat(get("/fresh").statusCode()).isEqualTo(200);
        assertThat(get("/declined", "traceparent", "00-" + TRACE_ID + "-" + CALLER_SPAN + "-00").statusCode())
                .isEqualTo(200);
        String recorded = "0af7651916cd43dd8448eb211c80319c";
        assertThat(get("/recorded", "traceparent", "00-" + recorded + "-b7ad6b7169203331-01").statusCode())
                .isEqualTo(200);

        Matcher fresh = traceparent(seen(upstream, "/fresh"));
        assertThat(fresh.group(3)).isEqualTo("00");
        Matcher declined = traceparent(seen(upstream, "/declined"));
        assertThat(declined.group(1)).isEqualTo(TRACE_ID);
        assertThat(declined.group(2)).isNotEqualTo(CALLER_SPAN);
        assertThat(declined.group(3)).isEqualTo("00");
        // Spans leave in the order their requests ended: once the sampled one's are in, none came before it.
        awaitTrace(recorded, 2);
        assertThat(receiver.spans()).hasSize(2).allMatch(span -> span.traceId().equals(recorded));
        assertThat(metric("gateway_tracing_spans_exported_total")).isEqualTo(2);
    }

    @Test
    void aCollectorThatIsDownCostsSpansNotRequests() throws Exception {
        MockUpstream upstream = upstream("up");
        start("http://127.0.0.1:" + UpstreamRoutes.stoppedPort() + "/v1/traces", "sample-ratio = 1, batch-size = 1",
                "", "", upstream.port());

        for (int i = 0; i < 20; i++) {
            assertThat(get("/down/" + i).statusCode()).isEqualTo(200);
        }

        await().atMost(WAIT).until(() -> metric("gateway_tracing_export_failures_total") > 0);
        await().atMost(WAIT).until(() -> MetricsScrape.of(gateway).count("gateway_tracing_spans_dropped_total",
                "reason", "export_failed") > 0);
        assertThat(metric("gateway_tracing_spans_exported_total")).isEqualTo(0);
    }

    @Test
    void aCollectorThatNeverAnswersFillsTheQueueAndSpansAreDroppedNotWaitedFor() throws Exception {
        receiver = OtlpReceiver.stalled();
        MockUpstream upstream = upstream("up");
        start(receiver.endpoint(), "sample-ratio = 1, queue-size = 4, batch-size = 1, export-timeout = 5m", "", "",
                upstream.port());

        for (int i = 0; i < 30; i++) {
            assertThat(get("/slow/" + i).statusCode()).isEqualTo(200);
        }

        assertThat(upstream.recordedRequests()).hasSize(30);
        await().atMost(WAIT).until(() -> MetricsScrape.of(gateway).count("gateway_tracing_spans_dropped_total",
                "reason", "queue_full") > 0);
        assertThat(receiver.requests()).isGreaterThanOrEqualTo(1);
        assertThat(metric("gateway_tracing_spans_exported_total")).isEqualTo(0);
    }
}
