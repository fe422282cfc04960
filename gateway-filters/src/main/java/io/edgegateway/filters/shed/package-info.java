/**
 * Load shedding: a route answers 503 itself beyond a limit on requests in flight, a limit steered by
 * its live P99 against its threshold.
 *
 * <p>Starting points:
 * <ul>
 *   <li>{@link io.edgegateway.filters.shed.LoadShedder}: the admission decision, by priority, and the slice tick;</li>
 *   <li>{@link io.edgegateway.filters.shed.LatencyLimit}: the controller that moves the limit;</li>
 *   <li>{@link io.edgegateway.filters.shed.QueueWatch}: between two moves, turns the limit on as soon as a queue builds;</li>
 *   <li>{@link io.edgegateway.filters.shed.Priority}: the {@code X-Priority} header, lower shed first.</li>
 * </ul>
 */
package io.edgegateway.filters.shed;
