package io.edgegateway.filters.metrics;

import io.edgegateway.filters.latency.LatencyWindow;
import io.prometheus.client.Collector;
import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.Counter;
import io.prometheus.client.Gauge;
import io.prometheus.client.Histogram;
import io.prometheus.client.hotspot.DefaultExports;
import java.util.List;
import java.util.Map;

/**
 * Every metric the gateway exports, named in one place.
 *
 * <p>One instance per process, registered in its own {@link CollectorRegistry} so tests can run
 * several gateways side by side without clashing on the default registry.
 */
public final class GatewayMetrics {

    /** Bucket bounds in seconds, at the SLO points operators alert on. */
    static final double[] LATENCY_BUCKETS = {
        0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.5, 1, 2.5, 5, 10
    };

    public static final double NANOS_PER_SECOND = 1e9;

    private final CollectorRegistry registry = new CollectorRegistry(true);

    public final Counter requests = Counter.build()
            .name("gateway_requests_total")
            .help("Requests answered by the gateway, by route, method and status code.")
            .labelNames("route", "method", "code")
            .register(registry);

    public final Histogram requestDuration = Histogram.build()
            .name("gateway_request_duration_seconds")
            .help("Time from the request head arriving to the last response byte written.")
            .labelNames("route", "method")
            .buckets(LATENCY_BUCKETS)
            .register(registry);

    public final Histogram upstreamDuration = Histogram.build()
            .name("gateway_upstream_duration_seconds")
            .help("Time from the request head sent upstream to the upstream's response head.")
            .labelNames("route", "upstream")
            .buckets(LATENCY_BUCKETS)
            .register(registry);

    public final Counter upstreamErrors = Counter.build()
            .name("gateway_upstream_errors_total")
            .help("Upstream exchanges that failed, by route, upstream and kind of failure.")
            .labelNames("route", "upstream", "error_type")
            .register(registry);

    public final Counter upstreamEjections = Counter.build()
            .name("gateway_upstream_ejections_total")
            .help("Upstream instances taken out of rotation: by passive outlier detection or a failed active health check.")
            .labelNames("route", "upstream", "reason")
            .register(registry);

    public final Counter retries = Counter.build()
            .name("gateway_retries_total")
            .help("Requests sent again to an instance (another one when there is one), by what failed before.")
            .labelNames("route", "reason")
            .register(registry);

    public final Counter rateLimitDecisions = Counter.build()
            .name("gateway_ratelimit_decisions_total")
            .help("Rate-limit decisions by route: allowed, denied, fail_open, fail_closed, local_fallback.")
            .labelNames("route", "decision")
            .register(registry);

    public final Histogram rateLimitStoreDuration = Histogram.build()
            .name("gateway_ratelimit_store_duration_seconds")
            .help("Time for one decision from a rate-limit store shard.")
            .labelNames("shard")
            .buckets(0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1)
            .register(registry);

    public final Counter rateLimitStoreErrors = Counter.build()
            .name("gateway_ratelimit_store_errors_total")
            .help("Failed rate-limit store calls by shard and kind: timeout, connection, circuit_open, script.")
            .labelNames("shard", "error_type")
            .register(registry);

    public final Gauge rateLimitCircuitState = Gauge.build()
            .name("gateway_ratelimit_circuit_state")
            .help("Circuit breaker state per rate-limit shard: 0 closed, 1 open, 2 half-open.")
            .labelNames("shard")
            .register(registry);

    public final Counter hedgeRequests = Counter.build()
            .name("gateway_hedge_requests_total")
            .help("Hedged copies sent upstream because the first attempt had not answered in time, by route.")
            .labelNames("route")
            .register(registry);

    public final Counter hedgeWins = Counter.build()
            .name("gateway_hedge_wins_total")
            .help("Hedged copies whose response was the one used, by route.")
            .labelNames("route")
            .register(registry);

    public final Counter shedRequests = Counter.build()
            .name("gateway_shed_requests_total")
            .help("Requests answered 503 without being forwarded, by route and reason: latency (the route's live"
                    + " P99 over its threshold) or gateway_overload (the gateway's own event loop behind, before routing).")
            .labelNames("route", "reason")
            .register(registry);

    public final Counter grpcResponses = Counter.build()
            .name("gateway_grpc_responses_total")
            .help("gRPC calls answered, by route and grpc_status (the status code's number, from the upstream's"
                    + " trailers or the gateway's own answer). Counted beside gateway_requests_total, whose code is"
                    + " the HTTP status.")
            .labelNames("route", "grpc_status")
            .register(registry);

    public final Counter clientConnectionsRefused = Counter.build()
            .name("gateway_client_connections_refused_total")
            .help("Client connections closed as they were accepted, by reason: max_connections (limits.max-connections"
                    + " were open), per_client (limits.max-connections-per-client were open from that address).")
            .labelNames("reason")
            .register(registry);

    public final Counter clientTimeouts = Counter.build()
            .name("gateway_client_timeouts_total")
            .help("Requests given up because the client sent them too slowly, by reason: header_timeout (the head was"
                    + " not whole within limits.header-timeout), body_rate (the body came slower than limits.min-body-rate),"
                    + " body_idle (the body stopped for limits.idle-timeout).")
            .labelNames("reason")
            .register(registry);

    public final Counter upstreamDrains = Counter.build()
            .name("gateway_upstream_drains_total")
            .help("Upstream connections whose client went away before the response was complete, by result: reused"
                    + " (the rest of the response was read and discarded, the connection went back to its pool) or closed.")
            .labelNames("result")
            .register(registry);

    public final Counter jwksRefreshes = Counter.build()
            .name("gateway_jwks_refresh_total")
            .help("Fetches of the jwt sources' jwks-url documents, by result: ok (a usable key set, now in use) or error"
                    + " (unreachable, timed out, not 200, or a bad document; the keys at hand stay in use).")
            .labelNames("result")
            .register(registry);

    private final RouteLatencyCollector routeLatency = new RouteLatencyCollector(
            "gateway_route_latency_seconds",
            "Each route's latency percentiles over its live window: the load shedder's signal.")
            .register(registry);

    public final Counter accessLogDropped = Counter.build()
            .name("gateway_access_log_dropped_total")
            .help("Access log lines dropped because the writer's queue was full.")
            .register(registry);

    public final Counter tracingSpansExported = Counter.build()
            .name("gateway_tracing_spans_exported_total")
            .help("Spans the OTLP collector accepted (gateway.tracing).")
            .register(registry);

    public final Counter tracingSpansDropped = Counter.build()
            .name("gateway_tracing_spans_dropped_total")
            .help("Spans of recorded traces never exported, by reason: queue_full (the exporter's queue was full:"
                    + " the collector is slow or down) or export_failed (their export request failed).")
            .labelNames("reason")
            .register(registry);

    public final Counter tracingExportFailures = Counter.build()
            .name("gateway_tracing_export_failures_total")
            .help("OTLP export requests that failed: no connection, export-timeout passed, or a status other than 2xx.")
            .register(registry);

    public final Counter configReloads = Counter.build()
            .name("gateway_config_reloads_total")
            .help("Configuration reloads, by result.")
            .labelNames("result")
            .register(registry);

    public GatewayMetrics() {
        DefaultExports.register(registry);
        // Both results exist at zero from the first scrape, so the first failure is an increase
        // an alert can see, not a series appearing out of nowhere.
        configReloads.labels("success");
        configReloads.labels("failure");
        jwksRefreshes.labels("ok");
        jwksRefreshes.labels("error");
    }

    /** One answered request: counted by status and timed from its head's arrival, labels bounded by {@link MetricLabels}. */
    public void record(String route, String method, int status, long durationNanos) {
        String methodLabel = MetricLabels.method(method);
        requests.labels(route, methodLabel, MetricLabels.code(status)).inc();
        requestDuration.labels(route, methodLabel).observe(durationNanos / NANOS_PER_SECOND);
    }

    /**
     * Drops the upstream series of an instance that left its route (a reload, a DNS change), so
     * that a gone instance's series do not linger; a later return starts them again.
     */
    public void forgetUpstream(String route, String upstream) {
        upstreamDuration.remove(route, upstream);
        for (Collector.MetricFamilySamples family : upstreamErrors.collect()) {
            for (Collector.MetricFamilySamples.Sample sample : family.samples) {
                List<String> labels = sample.labelValues;
                if (labels.get(0).equals(route) && labels.get(1).equals(upstream)) {
                    upstreamErrors.remove(labels.toArray(String[]::new));
                }
            }
        }
    }

    /** Exports {@code window}'s percentiles as the route's {@code gateway_route_latency_seconds}, replacing any before. */
    public void watchLatency(String route, LatencyWindow window) {
        routeLatency.watch(route, window);
    }

    /** Stops exporting a route's latency percentiles, e.g. once a reload removed it. */
    public void unwatchLatency(String route) {
        routeLatency.unwatch(route);
    }

    /** Exports exactly these routes' latency percentiles, at once: the set a reload produced. */
    public void watchLatency(Map<String, LatencyWindow> windowsByRoute) {
        routeLatency.replaceAll(windowsByRoute);
    }

    /** The series of one route, for a handler to keep. */
    public RouteMetrics forRoute(String route) {
        return new RouteMetrics(this, route);
    }

    public CollectorRegistry registry() {
        return registry;
    }
}
