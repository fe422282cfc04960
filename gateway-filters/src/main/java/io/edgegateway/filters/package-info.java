/**
 * The filter chain every routed request runs before it is forwarded.
 *
 * <p>Starting points: {@link io.edgegateway.filters.GatewayFilter} (the one-method contract),
 * {@link io.edgegateway.filters.FilterChain}, {@link io.edgegateway.filters.FilterContext}; the filters
 * themselves live in {@code identity} and {@code ratelimit}.
 */
package io.edgegateway.filters;
