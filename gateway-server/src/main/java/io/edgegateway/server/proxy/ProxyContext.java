package io.edgegateway.server.proxy;

import io.edgegateway.server.accesslog.AccessLog;
import io.edgegateway.config.Limits;
import io.edgegateway.filters.metrics.GatewayMetrics;
import io.edgegateway.filters.metrics.RouteMetrics;
import io.edgegateway.server.routing.RouteTable;
import io.edgegateway.server.tls.ServerTls;
import io.edgegateway.server.tracing.Tracing;
import io.edgegateway.server.upstream.UpstreamPools;
import io.prometheus.client.Counter;
import java.time.Duration;

/**
 * What every client connection's handler shares: the current routes and TLS certificates (each
 * swapped whole on reload), the upstream pools, the limits, and where unrouted requests are counted.
 */
public final class ProxyContext {

    private final UpstreamPools pools;
    private final Limits limits;
    private final RouteMetrics unrouted;
    private final AccessLog accessLog;
    private final EventLoopLag loopLag;
    /** Null when tracing is off. */
    private final Tracing tracing;
    private final Via via = Via.random();
    private final Duration shutdownGrace;
    private final Counter.Child[] slowClients = new Counter.Child[SlowClient.values().length];
    private final Counter.Child drainsReused;
    private final Counter.Child drainsClosed;
    private volatile RouteTable routes;
    private volatile ServerTls tls;
    private volatile boolean draining;

    /** {@code tls} is null for a clear-text listener, {@code tracing} when tracing is off. */
    public ProxyContext(RouteTable routes, ServerTls tls, UpstreamPools pools, GatewayMetrics metrics, Limits limits,
            Duration shutdownGrace, AccessLog accessLog, EventLoopLag loopLag, Tracing tracing) {
        this.accessLog = accessLog;
        this.tracing = tracing;
        this.loopLag = loopLag;
        this.tls = tls;
        this.shutdownGrace = shutdownGrace;
        this.routes = routes;
        this.pools = pools;
        this.limits = limits;
        this.unrouted = metrics.forRoute(ProxyFrontendHandler.NO_ROUTE);
        for (SlowClient reason : SlowClient.values()) {
            slowClients[reason.ordinal()] = metrics.clientTimeouts.labels(reason.label);
        }
        this.drainsReused = metrics.upstreamDrains.labels("reused");
        this.drainsClosed = metrics.upstreamDrains.labels("closed");
        // At zero from the start, so the first refusal is an increase an alert can see.
        metrics.shedRequests.labels(ProxyFrontendHandler.NO_ROUTE, "gateway_overload");
    }

    /** This server's {@code Via} entry, and its loop check. */
    Via via() {
        return via;
    }

    /** A client was given up for sending its request too slowly. */
    void count(SlowClient reason) {
        slowClients[reason.ordinal()].inc();
    }

    /** An upstream connection whose client went away was drained back into its pool, or closed. */
    void countDrain(boolean reused) {
        (reused ? drainsReused : drainsClosed).inc();
    }

    /** Where requests that match no route (or are refused before routing) are counted. */
    RouteMetrics unrouted() {
        return unrouted;
    }

    EventLoopLag loopLag() {
        return loopLag;
    }

    AccessLog accessLog() {
        return accessLog;
    }

    /** Null when tracing is off. */
    Tracing tracing() {
        return tracing;
    }

    public RouteTable routes() {
        return routes;
    }

    /** Serves new requests with {@code table}; requests already routed finish on their route. */
    public void replaceRoutes(RouteTable table) {
        this.routes = table;
    }

    /** The certificates new connections get; null in clear text. */
    public ServerTls tls() {
        return tls;
    }

    /** New connections get {@code newTls}; open ones keep theirs. */
    public void replaceTls(ServerTls newTls) {
        this.tls = newTls;
    }

    Duration shutdownGrace() {
        return shutdownGrace;
    }

    public boolean draining() {
        return draining;
    }

    /** From now on every response closes its connection. */
    public void startDraining() {
        this.draining = true;
    }

    UpstreamPools pools() {
        return pools;
    }

    long maxBodyBytes() {
        return limits.maxBodyBytes();
    }

    public Limits limits() {
        return limits;
    }

    long idleTimeoutNanos() {
        return limits.idleTimeout().toNanos();
    }
}
