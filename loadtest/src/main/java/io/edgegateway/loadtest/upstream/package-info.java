/**
 * A mock HTTP/1.1 upstream whose answers take a configurable latency shape, for the gateway's integration
 * tests (in-process) and for load tests ({@code loadtest.jar upstream}).
 *
 * <p>Starting points:
 * <ul>
 *   <li>{@link io.edgegateway.loadtest.upstream.MockUpstream} and its
 *       {@link io.edgegateway.loadtest.upstream.MockUpstreamBuilder} - start, inspect, close</li>
 *   <li>{@link io.edgegateway.loadtest.upstream.LatencyShape#parse(String)} - the latency specs, one record
 *       per shape ({@code FixedLatency}, {@code LognormalLatency}, {@code BimodalLatency},
 *       {@code HeavyTailLatency}, {@code DegradingLatency})</li>
 *   <li>{@code ResponseInstructions} - the query parameters that choose an answer</li>
 *   <li>{@code MockUpstreamHandler} - one connection's requests, delayed on its event loop</li>
 *   <li>{@link io.edgegateway.loadtest.upstream.RecordedRequest} - what tests assert a proxy forwarded</li>
 * </ul>
 */
package io.edgegateway.loadtest.upstream;
