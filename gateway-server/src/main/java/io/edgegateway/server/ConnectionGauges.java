package io.edgegateway.server;

import io.edgegateway.server.upstream.UpstreamPool;
import io.edgegateway.server.upstream.UpstreamPools;
import io.netty.channel.group.ChannelGroup;
import io.prometheus.client.Collector;
import io.prometheus.client.GaugeMetricFamily;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Connection gauges read at scrape time: client connections open now, and upstream connections
 * per instance, active or idle, summed over the event loops' pools (as each loop last published them).
 */
final class ConnectionGauges extends Collector {

    private final UpstreamPools pools;
    private final ChannelGroup clients;

    ConnectionGauges(UpstreamPools pools, ChannelGroup clients) {
        this.pools = pools;
        this.clients = clients;
    }

    @Override
    public List<MetricFamilySamples> collect() {
        GaugeMetricFamily open = new GaugeMetricFamily("gateway_open_connections",
                "Client connections open now.", clients.size());
        Map<String, int[]> byUpstream = new TreeMap<>();
        for (UpstreamPool pool : pools.all()) {
            int[] counts = byUpstream.computeIfAbsent(pool.address().label(), label -> new int[2]);
            int idle = pool.idleConnections();
            counts[0] += Math.max(0, pool.openConnections() - idle);
            counts[1] += idle;
        }
        GaugeMetricFamily upstream = new GaugeMetricFamily("gateway_upstream_connections",
                "Open upstream connections per instance: active (lent to a request) or idle (pooled).",
                List.of("upstream", "state"));
        byUpstream.forEach((label, counts) -> {
            upstream.addMetric(List.of(label, "active"), counts[0]);
            upstream.addMetric(List.of(label, "idle"), counts[1]);
        });
        return List.of(open, upstream);
    }
}
