/**
 * Upstream instance health: which instances of a route are taken out of rotation, and for how long.
 *
 * <p>Starting points:
 * <ul>
 *   <li>{@link io.edgegateway.server.upstream.health.OutlierDetector}: passive ejection after
 *       consecutive failed calls, with a growing ejection time and a cap on the share ejected;</li>
 *   <li>{@link io.edgegateway.server.upstream.health.OutlierState}: one instance's standing, read
 *       on the request path by the balancer ({@code isEjected}) with one volatile read.</li>
 * </ul>
 */
package io.edgegateway.server.upstream.health;
