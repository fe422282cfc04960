/**
 * Who a request is, for rate limiting: the {@code gateway.identity.sources} tried in order.
 *
 * <p>Starting points:
 * <ul>
 *   <li>{@link io.edgegateway.filters.identity.IdentityResolver}: built once from the configuration, asked per request;</li>
 *   <li>{@link io.edgegateway.filters.identity.IdentityResult}: identified, rejected (answer 401) or anonymous.</li>
 * </ul>
 */
package io.edgegateway.filters.identity;
