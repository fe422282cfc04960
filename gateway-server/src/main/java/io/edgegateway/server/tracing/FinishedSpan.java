package io.edgegateway.server.tracing;

/**
 * A span that ended, as the event loop hands it to the exporter: immutable, times in
 * {@link System#nanoTime} (the exporter turns them into wall-clock time), attributes as typed fields
 * rather than a map, so that building one costs one object and formatting waits for the exporter thread.
 */
public sealed interface FinishedSpan permits ServerSpan, ClientSpan {

    TraceContext trace();

    long spanId();

    long startNanos();

    long endNanos();
}
