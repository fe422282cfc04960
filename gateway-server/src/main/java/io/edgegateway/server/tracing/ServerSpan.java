package io.edgegateway.server.tracing;

/**
 * The span of one request through the gateway (kind SERVER), a child of the caller's span when the
 * request brought a {@code traceparent}.
 *
 * @param route the route id, or null when no route matched
 * @param path the path as sent; the query is left out when exported
 * @param status the status answered, or 0 when the client went away first
 * @param identityKind which identity source named the caller (header, jwt, client-ip), or null: never the identity
 * @param limiter the rate limiter's decision (allowed, denied, fail_open, ...), or null when it did not decide
 * @param gatewayError the error code of the gateway's own answer (no_route, rate_limited, bad_gateway, ...), or null
 * @param shed whether the request was shed for load (503 overloaded)
 */
public record ServerSpan(TraceContext trace, String requestId, String route, String method, String path, int status,
        String identityKind, String limiter, String gatewayError, boolean shed, long startNanos, long endNanos)
        implements FinishedSpan {

    @Override
    public long spanId() {
        return trace.spanId();
    }
}
