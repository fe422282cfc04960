package io.edgegateway.server.tracing;

import io.edgegateway.config.TracingConfig;
import io.edgegateway.filters.metrics.GatewayMetrics;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.internal.PlatformDependent;
import io.prometheus.client.Counter;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Trace context and spans for the proxy, when {@code gateway.tracing} names an endpoint; without
 * one there is no instance at all, and the request path pays one null check. On the event loops:
 * {@link #begin} keeps or starts a request's trace from its headers, {@link #offer} hands a
 * finished span to a bounded lock-free queue (dropped and counted when full, never waited for).
 * One {@link SpanExporter} thread sends them on.
 */
public final class Tracing implements AutoCloseable {

    private final TraceIdRatioSampler sampler;
    private final Queue<FinishedSpan> queue;
    private final Counter.Child droppedFull;
    private final SpanExporter exporter;

    private Tracing(TracingConfig config, GatewayMetrics metrics) {
        this.sampler = new TraceIdRatioSampler(config.sampleRatio());
        this.queue = PlatformDependent.newFixedMpscQueue(config.queueSize());
        this.droppedFull = metrics.tracingSpansDropped.labels("queue_full");
        this.exporter = new SpanExporter(queue, config.otlpEndpoint().orElseThrow(), config.batchSize(),
                config.exportInterval(), config.exportTimeout(), config.serviceName(),
                metrics.tracingSpansExported.labels(), metrics.tracingSpansDropped.labels("export_failed"),
                metrics.tracingExportFailures.labels());
    }

    /** Tracing as {@code config} asks for it, its exporter thread started; null when it is off. */
    public static Tracing start(TracingConfig config, GatewayMetrics metrics) {
        return config.enabled() ? new Tracing(config, metrics) : null;
    }

    /**
     * The trace of a request with these headers: a valid {@code traceparent}'s, continued (its
     * sampled flag decides), else a new one (the ratio decides) whose forwarded request carries no
     * {@code tracestate}, which belongs to the trace it came with (W3C Trace Context, 4.2).
     */
    public TraceContext begin(HttpHeaders headers) {
        String traceparent = headers.get(TraceParent.TRACEPARENT);
        if (traceparent != null && TraceParent.isValid(traceparent)) {
            boolean sampled = TraceParent.sampled(traceparent);
            return new TraceContext(TraceParent.traceIdHigh(traceparent), TraceParent.traceIdLow(traceparent),
                    TraceParent.parentId(traceparent), TraceContext.newSpanId(), sampled,
                    sampled ? traceState(headers) : null);
        }
        headers.remove(TraceParent.TRACESTATE);
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long high = random.nextLong();
        long low = random.nextLong();
        if (high == 0 && low == 0) {
            low = 1; // the all-zero trace id is the invalid one
        }
        return new TraceContext(high, low, 0, TraceContext.newSpanId(), sampler.sampled(low), null);
    }

    /** The incoming {@code tracestate}, its field lines joined as HTTP joins them; null when there is none. */
    private static String traceState(HttpHeaders headers) {
        List<String> lines = headers.getAll(TraceParent.TRACESTATE);
        return lines.isEmpty() ? null : lines.size() == 1 ? lines.get(0) : String.join(",", lines);
    }

    /** Hands a finished span of a recorded trace to the exporter, or drops and counts it when the queue is full. */
    public void offer(FinishedSpan span) {
        if (!queue.offer(span)) {
            droppedFull.inc();
        }
    }

    /** Sends what is queued (bounded by the export timeout), then stops the exporter thread. */
    @Override
    public void close() {
        exporter.close();
    }
}
