package io.edgegateway.filters.metrics;

import io.edgegateway.filters.latency.LatencySnapshot;
import io.edgegateway.filters.latency.LatencyWindow;
import io.prometheus.client.Collector;
import io.prometheus.client.GaugeMetricFamily;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Exports each watched route's live window percentiles at scrape time, read from its latest
 * {@link LatencySnapshot}; NaN while the window is empty, as Prometheus summaries do.
 *
 * <p>The route-to-window map is replaced whole on every change, so a scrape never sees half a reload.
 */
final class RouteLatencyCollector extends Collector implements Collector.Describable {

    private static final List<String> LABELS = List.of("route", "quantile");
    private static final double[] QUANTILES = {0.5, 0.9, 0.95, 0.99};
    private static final String[] QUANTILE_LABELS = {"0.5", "0.9", "0.95", "0.99"};

    private final String name;
    private final String help;
    private volatile SortedMap<String, LatencyWindow> windows = Collections.emptySortedMap();

    RouteLatencyCollector(String name, String help) {
        this.name = name;
        this.help = help;
    }

    synchronized void watch(String route, LatencyWindow window) {
        SortedMap<String, LatencyWindow> next = new TreeMap<>(windows);
        next.put(route, window);
        windows = Collections.unmodifiableSortedMap(next);
    }

    synchronized void unwatch(String route) {
        SortedMap<String, LatencyWindow> next = new TreeMap<>(windows);
        next.remove(route);
        windows = Collections.unmodifiableSortedMap(next);
    }

    synchronized void replaceAll(Map<String, LatencyWindow> routes) {
        windows = Collections.unmodifiableSortedMap(new TreeMap<>(routes));
    }

    @Override
    public List<MetricFamilySamples> collect() {
        GaugeMetricFamily family = new GaugeMetricFamily(name, help, LABELS);
        windows.forEach((route, window) -> {
            LatencySnapshot snapshot = window.snapshot();
            for (int i = 0; i < QUANTILES.length; i++) {
                double seconds = snapshot.count() == 0
                        ? Double.NaN
                        : snapshot.quantileNanos(QUANTILES[i]) / GatewayMetrics.NANOS_PER_SECOND;
                family.addMetric(List.of(route, QUANTILE_LABELS[i]), seconds);
            }
        });
        return List.of(family);
    }

    @Override
    public List<MetricFamilySamples> describe() {
        return List.of(new GaugeMetricFamily(name, help, LABELS));
    }
}
