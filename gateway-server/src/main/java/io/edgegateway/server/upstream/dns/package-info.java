/**
 * Upstream host names looked up again while the gateway runs, so instances follow DNS and
 * {@code /etc/hosts} without a restart and without an event loop ever waiting on a lookup.
 *
 * <p>Starting points:
 * <ul>
 *   <li>{@link io.edgegateway.server.upstream.dns.DnsWatch}: one resolver, the refresh schedule,
 *       {@code watch(host, listener)} and {@code resolveOnce(host)} for start-up.</li>
 *   <li>{@link io.edgegateway.server.upstream.dns.HostsFileSnapshot}: the hosts file, read again on
 *       every refresh and consulted before DNS.</li>
 * </ul>
 */
package io.edgegateway.server.upstream.dns;
