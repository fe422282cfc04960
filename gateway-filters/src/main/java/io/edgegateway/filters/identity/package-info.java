/**
 * Who a request is, for rate limiting: the {@code gateway.identity.sources} tried in order.
 *
 * <p>Starting points:
 * <ul>
 *   <li>{@link io.edgegateway.filters.identity.IdentityResolver}: built once from the configuration, asked per request;</li>
 *   <li>{@link io.edgegateway.filters.identity.IdentityResult}: identified, rejected (answer 401), too long (431) or anonymous;</li>
 *   <li>{@link io.edgegateway.filters.identity.BoundedIdentity}: a long identity held as its SHA-256;</li>
 *   <li>{@link io.edgegateway.filters.identity.JwksRegistry}: the jwt sources' JWKS key sets, kept across
 *       reloads; {@code JwksCache} fetches one off the event loops, {@code JwksDocument} reads it.</li>
 * </ul>
 */
package io.edgegateway.filters.identity;
