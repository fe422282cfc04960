package io.edgegateway.server.proxy;

import io.edgegateway.filters.metrics.RouteMetrics;
import io.edgegateway.filters.FilterContext;
import io.edgegateway.server.accesslog.AccessLog;
import io.edgegateway.server.accesslog.AccessLogEntry;
import io.edgegateway.server.routing.Route;
import io.edgegateway.server.tracing.ServerSpan;
import io.edgegateway.server.tracing.TraceContext;
import io.edgegateway.server.tracing.Tracing;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.List;

/**
 * What one request did, filled in as it goes (its route, who the filters said is calling and what
 * the limiter decided, the shedder's admission, the upstream call) and read once when it ends: by
 * the route's metrics, its live latency window, the access log and the shedder. One per request,
 * on its client's event loop. With tracing on it also holds the request's trace, and a recorded
 * trace's spans are made from it (and its upstream call's attempts) when it ends.
 */
final class RequestRecord {

    /** The error code of a 503 for load, from the route's shedder or the gateway's own. */
    private static final String SHED = "overloaded";

    private final ProxyContext context;
    private final String requestId;
    private final String method;
    private final String path;
    private final long startNanos;
    private RouteMetrics metrics;
    private Route route;
    private String identity;
    private String identityKind;
    private String limiter;
    /** The error code of the gateway's own answer, or null when an upstream answered. */
    private String gatewayAnswer;
    /** The request's trace; null when tracing is off. */
    private TraceContext trace;
    /** The shedder's admission, released once when the request ends; null when none was taken. */
    private FilterContext.Releasable admission;
    private UpstreamCall upstream;
    /** A gRPC call's status, once known; -1 otherwise. */
    private int grpcStatus = -1;
    private boolean ended;

    /** {@code requestId} is null for a request whose head could not be read; {@code path} as sent. */
    RequestRecord(ProxyContext context, String requestId, String method, String path, long startNanos) {
        this.context = context;
        this.requestId = requestId;
        this.method = method;
        this.path = path;
        this.startNanos = startNanos;
        this.metrics = context.unrouted();
    }

    /** When the request's head arrived ({@link System#nanoTime}). */
    long startNanos() {
        return startNanos;
    }

    void routed(Route matched) {
        this.route = matched;
        this.metrics = matched.metrics();
    }

    /** What the filters found: who is calling, by which source, and the limiter's decision (any may be null). */
    void filtered(FilterContext filters) {
        this.identity = filters.identity();
        this.identityKind = filters.identitySource();
        this.limiter = filters.limiterDecision();
    }

    /** Keeps or starts the request's trace from its headers, when tracing is on. */
    void traceFrom(HttpHeaders headers) {
        Tracing tracing = context.tracing();
        if (tracing != null) {
            trace = tracing.begin(headers);
        }
    }

    /** The gateway answers the request itself, with this error code. */
    void answeredByGateway(String code) {
        this.gatewayAnswer = code;
    }

    /** The gRPC call ended with this status (the upstream's {@code grpc-status}, or the gateway's). */
    void grpcStatus(int status) {
        this.grpcStatus = status;
    }

    void admittedBy(FilterContext.Releasable taken) {
        this.admission = taken;
    }

    void upstream(UpstreamCall call) {
        this.upstream = call;
        if (trace != null) {
            call.trace(trace);
        }
    }

    /**
     * The request was answered with {@code status}: counted and timed, logged, its admission released.
     * {@code upstreamAnsweredWhole} puts its duration in the route's live window (the shedder's and the
     * hedge's signal), which holds only responses an upstream gave whole.
     */
    void complete(int status, boolean upstreamAnsweredWhole) {
        if (ended) {
            return;
        }
        ended = true;
        releaseAdmission();
        long duration = System.nanoTime() - startNanos;
        metrics.record(method, status, duration);
        if (grpcStatus >= 0) {
            metrics.recordGrpc(grpcStatus);
        }
        if (upstreamAnsweredWhole) {
            route.latencyWindow().record(duration);
        }
        AccessLog log = context.accessLog();
        if (log.enabled()) {
            log.log(new AccessLogEntry(System.currentTimeMillis() - duration / 1_000_000, requestId,
                    route == null ? null : route.id(), method, path, status, identity,
                    upstream == null ? null : upstream.upstreamLabel(), upstream == null ? 0 : upstream.attempts(),
                    upstream != null && upstream.hedged(), limiter, duration,
                    upstream == null ? List.of() : upstream.triedLabels(),
                    trace == null ? 0 : trace.traceIdHigh(), trace == null ? 0 : trace.traceIdLow(), grpcStatus));
        }
        if (trace != null && trace.sampled()) {
            exportSpans(status, startNanos + duration);
        }
    }

    /**
     * The client went away before an answer: nothing to count or log, only the admission to give
     * back; a recorded trace still gets its spans, which say the client closed.
     */
    void abandon() {
        boolean first = !ended;
        ended = true;
        releaseAdmission();
        if (first && trace != null && trace.sampled()) {
            exportSpans(0, System.nanoTime());
        }
    }

    /** The request's span, then each upstream try's under it. */
    private void exportSpans(int status, long endNanos) {
        Tracing tracing = context.tracing();
        tracing.offer(new ServerSpan(trace, requestId, route == null ? null : route.id(), method, path, status,
                identityKind, limiter, gatewayAnswer, SHED.equals(gatewayAnswer), startNanos, endNanos));
        if (upstream != null) {
            upstream.exportSpans(tracing, endNanos);
        }
    }

    private void releaseAdmission() {
        if (admission != null) {
            FilterContext.Releasable taken = admission;
            admission = null;
            taken.release();
        }
    }

    String requestId() {
        return requestId;
    }

    String method() {
        return method;
    }

    /** Where the request is counted: its route's series, or {@code route="none"}. */
    RouteMetrics metrics() {
        return metrics;
    }

    Route route() {
        return route;
    }
}
