package io.edgegateway.filters.metrics;

import io.prometheus.client.Counter;
import io.prometheus.client.Histogram;

/**
 * One route's metric series, looked up once instead of on every request: Prometheus' own label
 * lookup allocates and hashes a list of label values each time.
 *
 * <p>Series are filled in lazily from any thread; two threads racing to fill the same slot store
 * the same child, so the race is harmless.
 */
public final class RouteMetrics {

    /** The standard methods, then {@link MetricLabels#OTHER}. */
    private static final int METHODS = MetricLabels.METHODS.size() + 1;
    /** The statuses 100..599, then {@link MetricLabels#OTHER}. */
    private static final int STATUSES = MetricLabels.MAX_STATUS - MetricLabels.MIN_STATUS + 2;

    static final String LATENCY = "latency";
    static final String GATEWAY_OVERLOAD = "gateway_overload";
    private static final int GRPC_CODES = 17;

    private final GatewayMetrics metrics;
    private final String route;
    private final Counter.Child[] requests = new Counter.Child[METHODS * STATUSES];
    private final Histogram.Child[] durations = new Histogram.Child[METHODS];
    private Counter.Child hedgeRequests;
    private Counter.Child hedgeWins;
    private Counter.Child shedRequests;
    private Counter.Child shedForOverload;
    /** By gRPC status code, 0..16 (the codes gRPC defines), then any other. */
    private final Counter.Child[] grpcResponses = new Counter.Child[GRPC_CODES + 1];

    RouteMetrics(GatewayMetrics metrics, String route) {
        this.metrics = metrics;
        this.route = route;
    }

    public String route() {
        return route;
    }

    /**
     * One answered request: counted by status and timed from its head's arrival. Methods and statuses
     * outside the standard ones count under {@link MetricLabels#OTHER}.
     */
    public void record(String method, int status, long durationNanos) {
        int m = MetricLabels.methodIndex(method);
        int s = MetricLabels.isStandardStatus(status) ? status - MetricLabels.MIN_STATUS : STATUSES - 1;
        int slot = m * STATUSES + s;
        Counter.Child counter = requests[slot];
        if (counter == null) {
            counter = metrics.requests.labels(route, MetricLabels.method(method), MetricLabels.code(status));
            requests[slot] = counter;
        }
        counter.inc();
        Histogram.Child duration = durations[m];
        if (duration == null) {
            duration = metrics.requestDuration.labels(route, MetricLabels.method(method));
            durations[m] = duration;
        }
        duration.observe(durationNanos / GatewayMetrics.NANOS_PER_SECOND);
    }

    public void countUpstreamError(String upstream, String errorType) {
        metrics.upstreamErrors.labels(route, upstream, errorType).inc();
    }

    /**
     * A gRPC call ended with {@code grpcStatus}; a code gRPC does not define counts under
     * {@link MetricLabels#OTHER}, so a service cannot grow the series without bound.
     */
    public void recordGrpc(int grpcStatus) {
        int slot = grpcStatus >= 0 && grpcStatus < GRPC_CODES ? grpcStatus : GRPC_CODES;
        Counter.Child child = grpcResponses[slot];
        if (child == null) {
            child = metrics.grpcResponses.labels(route,
                    slot == GRPC_CODES ? MetricLabels.OTHER : Integer.toString(grpcStatus));
            grpcResponses[slot] = child;
        }
        child.inc();
    }

    /** A hedged copy of a request was sent upstream. */
    public void hedgeSent() {
        Counter.Child child = hedgeRequests;
        if (child == null) {
            child = metrics.hedgeRequests.labels(route);
            hedgeRequests = child;
        }
        child.inc();
    }

    /** A hedged copy's response was the one used. */
    public void hedgeWon() {
        Counter.Child child = hedgeWins;
        if (child == null) {
            child = metrics.hedgeWins.labels(route);
            hedgeWins = child;
        }
        child.inc();
    }

    /** A request was answered 503 by the load shedder: the route's latency is over its threshold. */
    public void shed() {
        Counter.Child child = shedRequests;
        if (child == null) {
            child = metrics.shedRequests.labels(route, LATENCY);
            shedRequests = child;
        }
        child.inc();
    }

    /** A request was answered 503 before routing: the gateway's own event loop is behind. */
    public void shedForGatewayOverload() {
        Counter.Child child = shedForOverload;
        if (child == null) {
            child = metrics.shedRequests.labels(route, GATEWAY_OVERLOAD);
            shedForOverload = child;
        }
        child.inc();
    }
}
