package io.edgegateway.server.routing;

import io.edgegateway.config.LoadSheddingConfig;
import io.edgegateway.config.RouteConfig;
import io.edgegateway.filters.FilterChain;
import io.edgegateway.filters.hedge.HedgePolicy;
import io.edgegateway.filters.latency.LatencyWindow;
import io.edgegateway.filters.metrics.GatewayMetrics;
import io.edgegateway.filters.metrics.RouteMetrics;
import io.edgegateway.filters.shed.LoadShedder;
import io.edgegateway.server.upstream.UpstreamAddress;
import io.edgegateway.server.upstream.UpstreamCluster;
import io.netty.handler.codec.http.HttpMethod;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.concurrent.TimeUnit;

/** A route compiled from its configuration: what it matches and where it forwards. */
public final class Route {

    /** How often the ticker runs, and so the shortest slice. */
    public static final long MIN_SLICE_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final RouteConfig config;
    private final PathPrefix prefix;
    private final Optional<String> host;
    private final Set<String> methods;
    /** The route names GET but not HEAD, and takes HEAD as GET (no route of the same prefix and host names HEAD). */
    private final boolean headFollowsGet;
    private final UpgradeProtocols upgrades;
    private final UpstreamCluster cluster;
    /** The {@code Host} sent when the client sent none (HTTP/1.0): the first upstream's host:port. */
    private final String defaultHost;
    private final RouteMetrics metrics;
    private final FilterChain filters;
    private final long responseTimeoutNanos;
    private final int connectTimeoutMillis;
    /** {@code retries.per-try-timeout}, or 0 when each try may take all of {@code timeouts.response}. */
    private final long perTryTimeoutNanos;
    private final long upgradedIdleTimeoutNanos;
    private final RouteLiveState live;
    private final LatencyWindow latencyWindow;
    private final HedgePolicy hedge;
    private final LoadShedder shedder;

    Route(RouteConfig config, PathPrefix prefix, boolean headFollowsGet, GatewayMetrics metrics,
            BiFunction<RouteConfig, LoadShedder, FilterChain> filtersFor, Optional<LoadSheddingConfig> globalShedding,
            UpstreamCluster cluster, Route previous) {
        this.config = config;
        this.prefix = prefix;
        this.host = config.match().host();
        this.methods = config.match().methods();
        this.headFollowsGet = headFollowsGet;
        this.upgrades = new UpgradeProtocols(config.upgrades());
        this.cluster = cluster;
        this.defaultHost = UpstreamAddress.label(config.upstreams().get(0));
        this.metrics = metrics.forRoute(config.id());
        this.responseTimeoutNanos = config.timeouts().response().toNanos();
        this.connectTimeoutMillis = (int) Math.min(Integer.MAX_VALUE, config.timeouts().connect().toMillis());
        this.upgradedIdleTimeoutNanos = config.timeouts().upgradedIdle().toNanos();
        this.perTryTimeoutNanos = config.retries().perTryTimeout().map(Duration::toNanos).orElse(0L);
        this.live = RouteLiveState.of(config, globalShedding, previous == null ? null : previous.live);
        this.latencyWindow = live.latencyWindow;
        this.hedge = live.hedge;
        this.shedder = live.shedder;
        this.filters = filtersFor.apply(config, shedder);
    }

    /**
     * Rotates the live latency window once its slice has passed, and lets the shedder react; called
     * by one ticker thread, often enough for the shortest slice.
     */
    public void tick(long nowNanos) {
        live.tick(nowNanos);
    }

    /** The route's live latency: completed requests only (no shed ones, no hedge losers). */
    public LatencyWindow latencyWindow() {
        return latencyWindow;
    }

    /** The route's {@code hedge}, or null when it does not hedge. */
    public HedgePolicy hedge() {
        return hedge;
    }

    /** The route's load shedder, or null when it never sheds. */
    public LoadShedder shedder() {
        return shedder;
    }

    /**
     * {@code hostHeader} is the request's {@code Host} value as sent (any case, maybe with a port or
     * a trailing dot), or the authority of an absolute-form target; {@code path} is normalised.
     */
    boolean matches(String hostHeader, HttpMethod method, String path) {
        if (!prefix.matches(path)) {
            return false;
        }
        if (!methods.isEmpty() && !methods.contains(method.name())
                && !(headFollowsGet && HttpMethod.HEAD.equals(method))) {
            return false;
        }
        return host.isEmpty() || hostMatches(host.get(), hostHeader);
    }

    /** {@code api.example.com.} is {@code api.example.com}: the trailing dot only says the name is absolute. */
    private static boolean hostMatches(String host, String hostHeader) {
        if (hostHeader == null) {
            return false;
        }
        int end = hostWithoutPortLength(hostHeader);
        while (end > 0 && hostHeader.charAt(end - 1) == '.') {
            end--;
        }
        return end == host.length() && hostHeader.regionMatches(true, 0, host, 0, end);
    }

    int prefixLength() {
        return prefix.length();
    }

    /** The path to send upstream, from the normalised one: the prefix removed when the route says {@code strip-prefix}. */
    public String upstreamPath(String path) {
        return config.stripPrefix() ? prefix.strip(path) : path;
    }

    /** The {@code Upgrade} protocols whose 101 makes a tunnel. */
    public UpgradeProtocols upgrades() {
        return upgrades;
    }

    public String id() {
        return config.id();
    }

    public RouteConfig config() {
        return config;
    }

    /** The route's instances, their health and its retry budget; kept across reloads. */
    public UpstreamCluster cluster() {
        return cluster;
    }

    /** The {@code Host} to send for a request that came without one. */
    public String defaultHost() {
        return defaultHost;
    }

    /** What runs before the request is forwarded: identity, rate limiting. */
    public FilterChain filters() {
        return filters;
    }

    public RouteMetrics metrics() {
        return metrics;
    }

    /** Each try's bound ({@code retries.per-try-timeout}), or 0 when there is none but the response timeout. */
    public long perTryTimeoutNanos() {
        return perTryTimeoutNanos;
    }

    public long responseTimeoutNanos() {
        return responseTimeoutNanos;
    }

    public int connectTimeoutMillis() {
        return connectTimeoutMillis;
    }

    /** How long a connection this route upgraded (a WebSocket) may carry no byte either way before it closes. */
    public long upgradedIdleTimeoutNanos() {
        return upgradedIdleTimeoutNanos;
    }

    /** The length of the host part of a {@code Host} value, without its port. */
    private static int hostWithoutPortLength(String hostHeader) {
        if (hostHeader.startsWith("[")) {
            int close = hostHeader.indexOf(']');
            return close < 0 ? hostHeader.length() : close + 1;
        }
        int colon = hostHeader.lastIndexOf(':');
        return colon < 0 ? hostHeader.length() : colon;
    }
}
