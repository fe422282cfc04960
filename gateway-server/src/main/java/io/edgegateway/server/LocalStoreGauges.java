package io.edgegateway.server;

import io.edgegateway.filters.ratelimit.local.IdentityBudget;
import io.prometheus.client.Collector;
import io.prometheus.client.CounterMetricFamily;
import io.prometheus.client.GaugeMetricFamily;
import java.util.List;

/**
 * The in-memory rate-limit store's identities, read at scrape time: how many it holds, its bound,
 * and how many it evicted to make room (a store that keeps evicting is too small for its traffic,
 * or flooded with identities).
 */
final class LocalStoreGauges extends Collector {

    private final IdentityBudget budget;

    LocalStoreGauges(IdentityBudget budget) {
        this.budget = budget;
    }

    @Override
    public List<MetricFamilySamples> collect() {
        return List.of(
                new GaugeMetricFamily("gateway_ratelimit_local_identities",
                        "Identities held by the in-memory rate-limit store, over all quotas.", budget.held()),
                new GaugeMetricFamily("gateway_ratelimit_local_max_identities",
                        "The in-memory rate-limit store's bound on identities (rate-limit.local.max-identities).",
                        budget.max()),
                new CounterMetricFamily("gateway_ratelimit_local_evictions_total",
                        "Identities the in-memory rate-limit store forgot, before they were idle, to make room for new ones.",
                        budget.evicted()));
    }
}
