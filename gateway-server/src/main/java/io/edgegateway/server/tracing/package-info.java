/**
 * W3C Trace Context and OTLP span export, on when {@code gateway.tracing.otlp-endpoint} is set.
 * Starting points: {@link io.edgegateway.server.tracing.Tracing} (what the proxy calls: begin a
 * request's trace, offer its finished spans), {@link io.edgegateway.server.tracing.TraceParent}
 * (the header, read and written), {@link io.edgegateway.server.tracing.ServerSpan} and
 * {@link io.edgegateway.server.tracing.ClientSpan} (what a span carries), and
 * {@link io.edgegateway.server.tracing.SpanExporter} (the thread that sends them as OTLP/HTTP JSON).
 * The proxy keeps the span data where it already keeps a request's state (its record and its
 * upstream attempts) and builds span objects only for a recorded trace.
 */
package io.edgegateway.server.tracing;
