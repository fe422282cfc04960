package io.edgegateway.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An OTLP/HTTP trace receiver on a free loopback port, as a collector would be: it decodes each
 * JSON {@code ExportTraceServiceRequest} with Jackson and keeps its spans. {@link #stalled} makes
 * one that takes requests but never answers until it is closed: a collector that is slow.
 */
final class OtlpReceiver implements AutoCloseable {

    /** One span as exported, with the {@code service.name} of its resource. */
    record Span(String serviceName, JsonNode json) {

        String traceId() {
            return json.path("traceId").asText();
        }

        String spanId() {
            return json.path("spanId").asText();
        }

        /** Empty for a root span. */
        String parentSpanId() {
            return json.path("parentSpanId").asText("");
        }

        String name() {
            return json.path("name").asText();
        }

        int kind() {
            return json.path("kind").asInt();
        }

        /** The attribute's value as text (an intValue is a decimal string in OTLP JSON); null when absent. */
        String attribute(String key) {
            for (JsonNode attribute : json.path("attributes")) {
                if (attribute.path("key").asText().equals(key)) {
                    JsonNode value = attribute.path("value").elements().next();
                    return value.asText();
                }
            }
            return null;
        }

        boolean isError() {
            return json.path("status").path("code").asInt() == 2;
        }
    }

    static final int SERVER = 2;
    static final int CLIENT = 3;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final List<Span> spans = new CopyOnWriteArrayList<>();
    private final List<String> contentTypes = new CopyOnWriteArrayList<>();
    private final AtomicInteger requests = new AtomicInteger();
    private final CountDownLatch release = new CountDownLatch(1);
    private final boolean stall;

    private OtlpReceiver(boolean stall) throws IOException {
        this.stall = stall;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/v1/traces", this::receive);
        server.setExecutor(executor);
        server.start();
    }

    static OtlpReceiver start() throws IOException {
        return new OtlpReceiver(false);
    }

    /** A receiver that reads each export and answers it only when closed. */
    static OtlpReceiver stalled() throws IOException {
        return new OtlpReceiver(true);
    }

    String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1/traces";
    }

    private void receive(HttpExchange exchange) throws IOException {
        requests.incrementAndGet();
        try (exchange; InputStream body = exchange.getRequestBody()) {
            JsonNode request = JSON.readTree(body);
            contentTypes.add(exchange.getRequestHeaders().getFirst("Content-Type"));
            if (stall) {
                release.await();
            }
            for (JsonNode resourceSpans : request.path("resourceSpans")) {
                String service = null;
                for (JsonNode attribute : resourceSpans.path("resource").path("attributes")) {
                    if (attribute.path("key").asText().equals("service.name")) {
                        service = attribute.path("value").path("stringValue").asText();
                    }
                }
                for (JsonNode scopeSpans : resourceSpans.path("scopeSpans")) {
                    for (JsonNode span : scopeSpans.path("spans")) {
                        spans.add(new Span(service, span));
                    }
                }
            }
            byte[] answer = "{}".getBytes();
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, answer.length);
            exchange.getResponseBody().write(answer);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Every span received so far. */
    List<Span> spans() {
        return new ArrayList<>(spans);
    }

    /** The spans of one trace (its id in lower-case hex). */
    List<Span> trace(String traceId) {
        return spans.stream().filter(span -> span.traceId().equals(traceId)).toList();
    }

    /** Export requests that arrived, answered or not. */
    int requests() {
        return requests.get();
    }

    List<String> contentTypes() {
        return List.copyOf(contentTypes);
    }

    @Override
    public void close() {
        release.countDown();
        server.stop(0);
        executor.shutdownNow();
    }
}
