package io.edgegateway.server.accesslog;

import java.util.List;

/**
 * What one request did, as the access log writes it. Built on the event loop (a record, nothing
 * formatted), turned into JSON on the writer thread.
 *
 * @param epochMillis when the request head arrived
 * @param route the route id, or null for a request no route matched
 * @param identity who the filters said is calling, or null
 * @param upstream the instance that answered, or null when none did
 * @param attempts upstream attempts, the hedge included
 * @param upstreams the instances tried, in order (the hedge's included); empty when none was
 * @param limiter the rate limiter's decision (allowed, denied, fail_open, ...), or null when none was made
 * @param traceIdHigh the first 8 bytes of the request's W3C trace id; with {@code traceIdLow} 0 when
 *     tracing is off (the all-zero trace id is never a valid one)
 * @param grpcStatus a gRPC call's status code (from the upstream's trailers or the gateway's own
 *     answer), or -1 when the request was no gRPC call or ended without one
 */
public record AccessLogEntry(
        long epochMillis,
        String requestId,
        String route,
        String method,
        String path,
        int status,
        String identity,
        String upstream,
        int attempts,
        boolean hedged,
        String limiter,
        long durationNanos,
        List<String> upstreams,
        long traceIdHigh,
        long traceIdLow,
        int grpcStatus) {

    public AccessLogEntry {
        upstreams = List.copyOf(upstreams);
    }

    /** An entry without a trace. */
    public AccessLogEntry(long epochMillis, String requestId, String route, String method, String path, int status,
            String identity, String upstream, int attempts, boolean hedged, String limiter, long durationNanos,
            List<String> upstreams) {
        this(epochMillis, requestId, route, method, path, status, identity, upstream, attempts, hedged, limiter,
                durationNanos, upstreams, 0, 0, -1);
    }

    /** Whether the request had a trace id. */
    public boolean traced() {
        return traceIdHigh != 0 || traceIdLow != 0;
    }
}
