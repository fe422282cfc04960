package io.edgegateway.server.upstream;

import io.edgegateway.config.RouteConfig;
import io.edgegateway.filters.metrics.GatewayMetrics;
import io.edgegateway.server.upstream.dns.DnsWatch;
import io.edgegateway.server.upstream.health.HealthChecker;
import io.netty.handler.ssl.SslContext;
import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
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
    private final DnsWatch dns;
    private final Map<String, UpstreamCluster> clusters = new ConcurrentHashMap<>();
    /** The host names routes name, each watched once however many routes name it. */
    private final Map<String, DnsWatch.Watch> watches = new ConcurrentHashMap<>();
    /** The address of every instance of every route, as of the last change: read by the event loops. */
    private volatile Set<UpstreamAddress> inUse = Set.of();

    /** No active checks and no DNS refresh: for a table compiled outside a server. */
    public UpstreamRegistry(GatewayMetrics metrics) {
        this(metrics, null, Optional.empty(), null, System::nanoTime);
    }

    /**
     * {@code healthChecker} runs the routes' active checks; {@code dns} resolves upstream host
     * names again every {@code dns-refresh} (null: each name is resolved when the routes compile).
     */
    public UpstreamRegistry(GatewayMetrics metrics, HealthChecker healthChecker, Optional<SslContext> tls, DnsWatch dns,
            LongSupplier nanoTime) {
        this.metrics = metrics;
        this.healthChecker = healthChecker;
        this.tls = tls;
        this.dns = dns;
        this.nanoTime = nanoTime;
    }

    /** The cluster of {@code config}'s route, made or brought up to date. */
    public UpstreamCluster clusterFor(RouteConfig config) {
        UpstreamCluster cluster = clusters.computeIfAbsent(config.id(),
                id -> new UpstreamCluster(id, metrics, healthChecker, tls, nanoTime));
        cluster.configure(config, addresses(config.upstreams()));
        noteInUse();
        return cluster;
    }

    /** Whether some route has an instance at {@code address}; the pools let go of the others. */
    public boolean inUse(UpstreamAddress address) {
        return inUse.contains(address);
    }

    /** Called after every change of a cluster's instances (compile, DNS, a route dropped). */
    private synchronized void noteInUse() {
        Set<UpstreamAddress> addresses = new HashSet<>();
        for (UpstreamCluster cluster : clusters.values()) {
            for (UpstreamInstance instance : cluster.instances()) {
                addresses.add(instance.address());
            }
        }
        inUse = Set.copyOf(addresses);
    }

    /**
     * Every instance of {@code upstreams}: a literal address is one; a host name is as many as its
     * last lookup found, or, before the first one answered, what the JDK resolves it to now (compiling
     * runs on the reload thread, never on an event loop).
     */
    private List<UpstreamAddress> addresses(List<URI> upstreams) {
        List<UpstreamAddress> addresses = new ArrayList<>();
        for (URI uri : upstreams) {
            String host = uri.getHost();
            if (dns == null || isLiteral(host)) {
                addresses.add(UpstreamAddress.of(uri));
                continue;
            }
            List<InetAddress> current = watches.computeIfAbsent(host, name -> dns.watch(name, this::addressesChanged))
                    .current();
            if (current.isEmpty()) {
                addresses.add(UpstreamAddress.of(uri));
            } else {
                addresses.addAll(UpstreamAddress.resolved(uri, current));
            }
        }
        return addresses.stream().distinct().toList();
    }

    /** A watched name's addresses changed: the clusters that name it get their new instances. */
    private void addressesChanged(String host, List<InetAddress> addresses) {
        for (UpstreamCluster cluster : clusters.values()) {
            RouteConfig config = cluster.config();
            if (config != null && config.upstreams().stream().anyMatch(uri -> host.equals(uri.getHost()))) {
                cluster.configure(config, addresses(config.upstreams()));
            }
        }
        noteInUse();
    }

    private static boolean isLiteral(String host) {
        return NetUtil.isValidIpV4Address(host) || NetUtil.isValidIpV6Address(host);
    }

    /** Drops the clusters of routes that are no longer configured, and the watches of names none names. */
    public void retainOnly(Set<String> routeIds) {
        clusters.entrySet().removeIf(entry -> {
            if (routeIds.contains(entry.getKey())) {
                return false;
            }
            entry.getValue().close();
            return true;
        });
        noteInUse();
        Set<String> named = new HashSet<>();
        for (UpstreamCluster cluster : clusters.values()) {
            RouteConfig config = cluster.config();
            if (config != null) {
                config.upstreams().forEach(uri -> named.add(uri.getHost()));
            }
        }
        watches.entrySet().removeIf(entry -> {
            if (named.contains(entry.getKey())) {
                return false;
            }
            entry.getValue().cancel();
            return true;
        });
    }

    public Collection<UpstreamCluster> clusters() {
        return clusters.values();
    }

}
