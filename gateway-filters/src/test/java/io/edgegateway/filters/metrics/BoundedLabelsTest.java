package io.edgegateway.filters.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Collections;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

/** Methods and status codes from the wire never make more series than the standard set and {@code _OTHER}. */
class BoundedLabelsTest {

    private final GatewayMetrics metrics = new GatewayMetrics();
    private final RouteMetrics route = metrics.forRoute("r");

    private Double requests(String method, String code) {
        return metrics.registry().getSampleValue("gateway_requests_total",
                new String[] {"route", "method", "code"}, new String[] {"r", method, code});
    }

    /** How many series a counter ({@code _total}) or histogram ({@code _count}) sample name has. */
    private long series(String sampleName) {
        return Collections.list(metrics.registry().metricFamilySamples()).stream()
                .flatMap(family -> family.samples.stream())
                .filter(sample -> sample.name.equals(sampleName))
                .count();
    }

    @Test
    void standardMethodsKeepTheirNames() {
        for (String method : MetricLabels.METHODS) {
            route.record(method, 200, 1_000);
        }
        for (String method : MetricLabels.METHODS) {
            assertThat(requests(method, "200")).as(method).isEqualTo(1.0);
        }
    }

    @Test
    void anyOtherMethodCountsAsOther() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int i = 0; i < 1_000; i++) {
            StringBuilder method = new StringBuilder();
            for (int c = 0; c < 8; c++) {
                method.append((char) ('A' + random.nextInt(26)));
            }
            route.record(method.toString(), 200, 1_000);
        }
        route.record("get", 200, 1_000); // methods are case-sensitive: not GET
        route.record("", 200, 1_000);

        assertThat(requests(MetricLabels.OTHER, "200")).isEqualTo(1_002.0);
        assertThat(series("gateway_requests_total")).isEqualTo(1);
        assertThat(series("gateway_request_duration_seconds_count")).isEqualTo(1);
    }

    @Test
    void statusesOutside100To599CountAsOther() {
        route.record("GET", 99, 1_000);
        route.record("GET", 600, 1_000);
        route.record("GET", 999, 1_000);
        route.record("GET", 0, 1_000);
        route.record("GET", -1, 1_000);
        route.record("GET", 100, 1_000);
        route.record("GET", 599, 1_000);

        assertThat(requests("GET", MetricLabels.OTHER)).isEqualTo(5.0);
        assertThat(requests("GET", "100")).isEqualTo(1.0);
        assertThat(requests("GET", "599")).isEqualTo(1.0);
        assertThat(series("gateway_requests_total")).isEqualTo(3);
    }

    @Test
    void theUnroutedPathFoldsTheSameWay() {
        metrics.record("none", "BREW", 418, 1_000);
        metrics.record("none", "GET", 1000, 1_000);

        assertThat(metrics.registry().getSampleValue("gateway_requests_total",
                new String[] {"route", "method", "code"}, new String[] {"none", MetricLabels.OTHER, "418"})).isEqualTo(1.0);
        assertThat(metrics.registry().getSampleValue("gateway_requests_total",
                new String[] {"route", "method", "code"}, new String[] {"none", "GET", MetricLabels.OTHER})).isEqualTo(1.0);
    }

    @Test
    void labelHelpersAreTotal() {
        assertThat(MetricLabels.method("PATCH")).isEqualTo("PATCH");
        assertThat(MetricLabels.method("")).isEqualTo(MetricLabels.OTHER);
        assertThat(MetricLabels.code(204)).isEqualTo("204");
        assertThat(MetricLabels.code(Integer.MIN_VALUE)).isEqualTo(MetricLabels.OTHER);
    }
}
