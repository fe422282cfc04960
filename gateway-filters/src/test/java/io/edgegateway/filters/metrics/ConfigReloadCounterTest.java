package io.edgegateway.filters.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The reload alert relies on both results being exported before anything happens. */
class ConfigReloadCounterTest {

    private final GatewayMetrics metrics = new GatewayMetrics();

    private Double reloads(String result) {
        return metrics.registry().getSampleValue("gateway_config_reloads_total", new String[] {"result"}, new String[] {result});
    }

    @Test
    void bothResultsStartAtZero() {
        assertThat(reloads("success")).isZero();
        assertThat(reloads("failure")).isZero();
    }

    @Test
    void aFailureCountsOnlyAsAFailure() {
        metrics.configReloads.labels("failure").inc();

        assertThat(reloads("failure")).isEqualTo(1.0);
        assertThat(reloads("success")).isZero();
    }
}
