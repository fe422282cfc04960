/**
 * {@code loadtest probe}: a fixed catalogue of hostile requests sent over raw sockets (and raw HTTP/2
 * frames), reporting what the client saw and what reached a recording upstream, so the gateway,
 * nginx and HAProxy can be compared on the same machine.
 *
 * <p>Starting points:
 * <ul>
 *   <li>{@link io.edgegateway.loadtest.probe.ProbeCommand} - the command line</li>
 *   <li>{@code ProbeCatalogue} - every probe, in order; {@code Probe} - one entry</li>
 *   <li>{@code RawExchange}, {@code DribbleClient}, {@code WriteFirstClient}, {@code MethodSpray},
 *       {@code H2Session} - the ways a probe talks to the target</li>
 *   <li>{@link io.edgegateway.loadtest.probe.RecordingUpstream} - the observer upstream, with
 *       {@code UpstreamRequestParser} and its log format {@code UpstreamLogLine}</li>
 *   <li>{@code UpstreamViews} - how each probe's upstream cell is written</li>
 * </ul>
 */
package io.edgegateway.loadtest.probe;
