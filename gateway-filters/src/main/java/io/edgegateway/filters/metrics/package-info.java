/**
 * The gateway's Prometheus metrics. Starting point: {@link io.edgegateway.filters.metrics.GatewayMetrics}.
 */
package io.edgegateway.filters.metrics;
