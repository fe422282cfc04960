package io.edgegateway.server.upstream;

import io.edgegateway.config.RouteConfig;
import io.edgegateway.filters.metrics.GatewayMetrics;
import io.edgegateway.server.upstream.health.HealthChecker;
import io.netty.handler.ssl.SslContext;
import java.net.URI;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Every route's {@link UpstreamCluster}, by route id, kept across reloads: compiling a route that
 * was there before hands it its old cluster, so health and ejections survive a reload for the
 * instances that stay.
 */
public final class UpstreamRegistry {

    private final GatewayMetrics metrics;
    private final HealthChecker healthChecker;
    private final Optional<SslContext> tls;
    private final LongSupplier nanoTime;
    private final Map<String, UpstreamCluster> clusters = new ConcurrentHashMap<>();

    /** {@code healthChecker} may be null: no active checks (a table compiled outside a server). */
    public UpstreamRegistry(GatewayMetrics metrics, HealthChecker healthChecker, Optional<SslContext> tls,
            LongSupplier nanoTime) {
        this.metrics = metrics;
        this.healthChecker = healthChecker;
        this.tls = tls;
        this.nanoTime = nanoTime;
    }

    /** The cluster of {@code config}'s route, made or brought up to date. */
    public UpstreamCluster clusterFor(RouteConfig config) {
        UpstreamCluster cluster = clusters.computeIfAbsent(config.id(),
                id -> new UpstreamCluster(id, metrics, healthChecker, tls, nanoTime));
        cluster.configure(config, addresses(config.upstreams()));
        return cluster;
    }

    /** Drops the clusters of routes that are no longer configured. */
    public void retainOnly(Set<String> routeIds) {
        clusters.entrySet().removeIf(entry -> {
            if (routeIds.contains(entry.getKey())) {
                return false;
            }
            entry.getValue().close();
            return true;
        });
    }

    public Collection<UpstreamCluster> clusters() {
        return clusters.values();
    }

    private static List<UpstreamAddress> addresses(List<URI> upstreams) {
        return upstreams.stream().map(UpstreamAddress::of).distinct().toList();
    }
}
