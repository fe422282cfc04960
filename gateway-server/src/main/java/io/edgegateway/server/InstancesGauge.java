package io.edgegateway.server;

import io.prometheus.client.Collector;
import io.prometheus.client.GaugeMetricFamily;
import java.util.List;
import java.util.function.IntSupplier;

/**
 * {@code gateway_ratelimit_instances}: the gateways this one believes share the limits, read at
 * scrape time; {@code rate-limit.instances} when fixed, the live count from the store's heartbeats
 * with {@code instances = auto}. With {@code on-store-failure = local} each enforces
 * {@code requests / this} while the store is down.
 */
final class InstancesGauge extends Collector {

    private final IntSupplier instances;

    InstancesGauge(IntSupplier instances) {
        this.instances = instances;
    }

    @Override
    public List<MetricFamilySamples> collect() {
        return List.of(new GaugeMetricFamily("gateway_ratelimit_instances",
                "Gateway instances sharing the rate limits (rate-limit.instances, or counted live with auto).",
                instances.getAsInt()));
    }
}
