/**
 * Connections to upstream instances: per-event-loop pools ({@link io.edgegateway.server.upstream.UpstreamPool})
 * and the balancers that pick an instance ({@link io.edgegateway.server.upstream.UpstreamBalancer}).
 */
package io.edgegateway.server.upstream;
