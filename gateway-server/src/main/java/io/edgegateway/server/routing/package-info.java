/**
 * Which route serves a request. Starting points: {@link io.edgegateway.server.routing.RouteTable}
 * (the routes, most specific first), {@link io.edgegateway.server.routing.PathNormalizer} (the one
 * spelling of a path that is matched and forwarded), {@code PathPrefix} (segment matching), and
 * {@link io.edgegateway.server.routing.UpgradeProtocols} (which {@code Upgrade}s a route tunnels).
 */
package io.edgegateway.server.routing;
