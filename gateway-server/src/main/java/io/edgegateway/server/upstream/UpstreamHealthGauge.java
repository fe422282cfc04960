package io.edgegateway.server.upstream;

import io.prometheus.client.Collector;
import io.prometheus.client.GaugeMetricFamily;
import java.util.List;

/**
 * {@code gateway_upstream_healthy}, read at scrape time from the instances themselves: 1 for an
 * instance in rotation, 0 for one ejected or failing its health check. Reading it also readmits an
 * instance whose ejection time has passed, so the gauge never shows a stale ejection.
 */
public final class UpstreamHealthGauge extends Collector {

    private final UpstreamRegistry registry;

    public UpstreamHealthGauge(UpstreamRegistry registry) {
        this.registry = registry;
    }

    @Override
    public List<MetricFamilySamples> collect() {
        GaugeMetricFamily healthy = new GaugeMetricFamily("gateway_upstream_healthy",
                "1 while an upstream instance is in rotation, 0 while it is ejected or failing its health check.",
                List.of("route", "upstream"));
        for (UpstreamCluster cluster : registry.clusters()) {
            for (UpstreamInstance instance : cluster.instances()) {
                healthy.addMetric(List.of(cluster.route(), instance.label()), instance.inRotation() ? 1 : 0);
            }
        }
        return List.of(healthy);
    }
}
