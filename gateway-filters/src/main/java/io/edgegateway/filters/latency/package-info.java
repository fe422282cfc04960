/**
 * Live per-route latency: the signal load shedding and percentile hedge delays read.
 *
 * <p>Starting points:
 * <ul>
 *   <li>{@link io.edgegateway.filters.latency.LatencyWindow}: lock-free recording, percentiles over a sliding window;</li>
 *   <li>{@link io.edgegateway.filters.latency.LatencySnapshot}: the precomputed percentiles of one rotation.</li>
 * </ul>
 */
package io.edgegateway.filters.latency;
