/**
 * Load shedding: a route answers 503 itself while its live P99 is over its threshold.
 *
 * <p>Starting points:
 * <ul>
 *   <li>{@link io.edgegateway.filters.shed.LoadShedder}: the controller and the admission decision;</li>
 *   <li>{@link io.edgegateway.filters.shed.Priority}: the {@code X-Priority} header, lower shed first.</li>
 * </ul>
 */
package io.edgegateway.filters.shed;
