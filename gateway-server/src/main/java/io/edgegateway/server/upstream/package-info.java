/**
 * Connections to upstream instances: per-event-loop pools ({@link io.edgegateway.server.upstream.UpstreamPool}),
 * which for an {@code h2c://} or {@code h2://} instance lend HTTP/2 streams over few multiplexed
 * connections ({@link io.edgegateway.server.upstream.Http2Connections},
 * {@link io.edgegateway.server.upstream.Http2UpstreamConnection}), and the balancers that pick an
 * instance ({@link io.edgegateway.server.upstream.UpstreamBalancer}).
 */
package io.edgegateway.server.upstream;
