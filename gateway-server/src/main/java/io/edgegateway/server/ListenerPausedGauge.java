package io.edgegateway.server;

import io.prometheus.client.Collector;
import io.prometheus.client.GaugeMetricFamily;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * {@code gateway_listener_paused}: 1 while the client listener takes no new connections because
 * every worker loop is behind ({@code limits.max-event-loop-lag}; see
 * {@link io.edgegateway.server.proxy.AcceptPause}), 0 otherwise; read at scrape time.
 */
final class ListenerPausedGauge extends Collector {

    private final BooleanSupplier paused;

    ListenerPausedGauge(BooleanSupplier paused) {
        this.paused = paused;
    }

    @Override
    public List<MetricFamilySamples> collect() {
        return List.of(new GaugeMetricFamily("gateway_listener_paused",
                "1 while new client connections wait in the backlog because every event loop is behind.",
                paused.getAsBoolean() ? 1 : 0));
    }
}
