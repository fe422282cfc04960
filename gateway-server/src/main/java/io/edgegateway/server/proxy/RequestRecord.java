package io.edgegateway.server.proxy;

import io.edgegateway.filters.metrics.RouteMetrics;
import io.edgegateway.filters.FilterContext;
import io.edgegateway.server.accesslog.AccessLog;
import io.edgegateway.server.accesslog.AccessLogEntry;
import io.edgegateway.server.routing.Route;
import java.util.List;

/**
 * What one request did, filled in as it goes (its route, who the filters said is calling and what
 * the limiter decided, the shedder's admission, the upstream call) and read once when it ends: by
 * the route's metrics, its live latency window, the access log and the shedder. One per request,
 * on its client's event loop.
 */
final class RequestRecord {

    private final ProxyContext context;
    private final String requestId;
    private final String method;
    private final String path;
    private final long startNanos;
    private RouteMetrics metrics;
    private Route route;
    private String identity;
    private String limiter;
    /** The shedder's admission, released once when the request ends; null when none was taken. */
    private FilterContext.Releasable admission;
    private UpstreamCall upstream;
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

    void routed(Route matched) {
        this.route = matched;
        this.metrics = matched.metrics();
    }

    /** What the filters found: who is calling and the limiter's decision (either may be null). */
    void filtered(String callerIdentity, String limiterDecision) {
        this.identity = callerIdentity;
        this.limiter = limiterDecision;
    }

    void admittedBy(FilterContext.Releasable taken) {
        this.admission = taken;
    }

    void upstream(UpstreamCall call) {
        this.upstream = call;
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
        if (upstreamAnsweredWhole) {
            route.latencyWindow().record(duration);
        }
        AccessLog log = context.accessLog();
        if (log.enabled()) {
            log.log(new AccessLogEntry(System.currentTimeMillis() - duration / 1_000_000, requestId,
                    route == null ? null : route.id(), method, path, status, identity,
                    upstream == null ? null : upstream.upstreamLabel(), upstream == null ? 0 : upstream.attempts(),
                    upstream != null && upstream.hedged(), limiter, duration,
                    upstream == null ? List.of() : upstream.triedLabels()));
        }
    }

    /** The client went away before an answer: nothing to count or log, only the admission to give back. */
    void abandon() {
        ended = true;
        releaseAdmission();
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
