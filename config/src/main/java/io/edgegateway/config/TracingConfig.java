package io.edgegateway.config;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code gateway.tracing}: W3C trace context kept or started for every request, and spans exported
 * over OTLP/HTTP (JSON) off the event loops. Off while {@code otlpEndpoint} is empty: the gateway
 * then passes {@code traceparent} and {@code tracestate} through untouched and records nothing.
 *
 * @param otlpEndpoint the URL spans are POSTed to, e.g. {@code http://collector:4318/v1/traces}
 * @param sampleRatio the share of new traces recorded, decided by trace id; an incoming
 *     {@code traceparent}'s sampled flag decides for its trace
 * @param queueSize finished spans waiting for the exporter; beyond it spans are dropped and counted
 * @param batchSize spans per export request, at most {@code queueSize}
 * @param exportInterval how long a partial batch waits before it is sent
 * @param exportTimeout how long one export request may take, connecting included
 * @param serviceName the {@code service.name} of the spans' resource
 */
public record TracingConfig(Optional<URI> otlpEndpoint, double sampleRatio, int queueSize, int batchSize,
        Duration exportInterval, Duration exportTimeout, String serviceName) {

    public TracingConfig {
        Objects.requireNonNull(otlpEndpoint, "otlpEndpoint");
        Objects.requireNonNull(exportInterval, "exportInterval");
        Objects.requireNonNull(exportTimeout, "exportTimeout");
        Objects.requireNonNull(serviceName, "serviceName");
        if (!(sampleRatio >= 0 && sampleRatio <= 1)) {
            throw new IllegalArgumentException("sampleRatio: " + sampleRatio + " (expected: 0..1)");
        }
        if (queueSize < 1) {
            throw new IllegalArgumentException("queueSize: " + queueSize + " (expected: > 0)");
        }
        if (batchSize < 1 || batchSize > queueSize) {
            throw new IllegalArgumentException("batchSize: " + batchSize + " (expected: 1..queueSize)");
        }
    }

    /** Whether spans are recorded and exported at all. */
    public boolean enabled() {
        return otlpEndpoint.isPresent();
    }
}
