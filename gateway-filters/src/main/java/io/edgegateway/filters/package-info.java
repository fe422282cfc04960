/**
 * The filter chain every routed request runs before it is forwarded.
 *
 * <p>Starting points: {@link io.edgegateway.filters.GatewayFilter} (the one-method contract),
 * {@link io.edgegateway.filters.FilterChain}, {@link io.edgegateway.filters.FilterContext}; the filters
 * themselves live in {@code identity} and {@code ratelimit}; beside them, {@code latency} (live
 * percentiles), {@code hedge} and {@code shed} are the policies the server applies around forwarding.
 */
package io.edgegateway.filters;
