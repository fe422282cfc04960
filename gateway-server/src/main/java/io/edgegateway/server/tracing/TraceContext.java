package io.edgegateway.server.tracing;

import io.netty.util.AsciiString;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One request's place in its trace, fixed when its head arrives: the trace id, the caller's span
 * (0 when the gateway started the trace), the gateway's own request span, and whether the trace is
 * recorded. Immutable, so the access log's writer and the span exporter may read it on their threads.
 *
 * @param traceState the incoming {@code tracestate}, kept for the exported span of a recorded trace
 *     that was continued; null otherwise (the header itself is forwarded untouched either way)
 */
public record TraceContext(long traceIdHigh, long traceIdLow, long parentSpanId, long spanId, boolean sampled,
        String traceState) {

    /** Whether the trace came with the request: the gateway's request span has a remote parent. */
    public boolean continued() {
        return parentSpanId != 0;
    }

    /** The {@code traceparent} an upstream try sends: this trace, this decision, {@code attemptSpanId} as parent. */
    public AsciiString traceparent(long attemptSpanId) {
        return TraceParent.format(traceIdHigh, traceIdLow, attemptSpanId, sampled);
    }

    /** A random span id, never 0 (the invalid id). */
    public static long newSpanId() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long id;
        do {
            id = random.nextLong();
        } while (id == 0);
        return id;
    }
}
