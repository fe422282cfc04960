package io.edgegateway.filters.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.edgegateway.filters.latency.LatencyWindow;
import io.prometheus.client.exporter.common.TextFormat;
import java.io.IOException;
import java.io.StringWriter;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class RouteLatencyGaugeTest {

    private static final String GAUGE = "gateway_route_latency_seconds";
    private static final String[] LABELS = {"route", "quantile"};

    private final GatewayMetrics metrics = new GatewayMetrics();

    private Double gauge(String route, String quantile) {
        return metrics.registry().getSampleValue(GAUGE, LABELS, new String[] {route, quantile});
    }

    private static LatencyWindow windowOf(long fromMs, long toMs) {
        LatencyWindow window = new LatencyWindow(Duration.ofSeconds(10), 10);
        for (long ms = fromMs; ms <= toMs; ms++) {
            window.record(TimeUnit.MILLISECONDS.toNanos(ms));
        }
        return window;
    }

    @Test
    void showsAWindowsQuantilesInSecondsAfterARotation() {
        LatencyWindow window = windowOf(1, 100);
        metrics.watchLatency("users", window);
        assertThat(gauge("users", "0.99")).isNaN();

        window.rotate();
        assertThat(gauge("users", "0.5")).isCloseTo(0.050, within(0.001));
        assertThat(gauge("users", "0.9")).isCloseTo(0.090, within(0.001));
        assertThat(gauge("users", "0.95")).isCloseTo(0.095, within(0.001));
        assertThat(gauge("users", "0.99")).isCloseTo(0.099, within(0.001));
    }

    @Test
    void followsTheRoutesBeingWatched() throws IOException {
        LatencyWindow users = windowOf(1, 10);
        LatencyWindow orders = windowOf(1, 10);
        users.rotate();
        orders.rotate();
        metrics.watchLatency("users", users);
        metrics.watchLatency("orders", orders);
        assertThat(scrape()).contains(GAUGE + "{route=\"orders\",quantile=\"0.99\",}");

        metrics.unwatchLatency("orders");
        assertThat(gauge("orders", "0.99")).isNull();
        assertThat(gauge("users", "0.99")).isNotNull();

        metrics.watchLatency(Map.of("orders", orders));
        assertThat(gauge("users", "0.99")).isNull();
        assertThat(gauge("orders", "0.99")).isNotNull();
    }

    @Test
    void countsHedgesAndShedRequestsByRoute() {
        RouteMetrics route = metrics.forRoute("users");
        route.hedgeSent();
        route.hedgeSent();
        route.hedgeWon();
        route.shed();
        route.shedForGatewayOverload();
        route.shedForGatewayOverload();
        assertThat(counter("gateway_hedge_requests_total")).isEqualTo(2);
        assertThat(counter("gateway_hedge_wins_total")).isEqualTo(1);
        assertThat(metrics.registry().getSampleValue("gateway_shed_requests_total", new String[] {"route", "reason"},
                new String[] {"users", "latency"})).isEqualTo(1);
        assertThat(metrics.registry().getSampleValue("gateway_shed_requests_total", new String[] {"route", "reason"},
                new String[] {"users", "gateway_overload"})).isEqualTo(2);
    }

    private double counter(String name) {
        return metrics.registry().getSampleValue(name, new String[] {"route"}, new String[] {"users"});
    }

    private String scrape() throws IOException {
        StringWriter out = new StringWriter();
        TextFormat.write004(out, metrics.registry().metricFamilySamples());
        return out.toString();
    }
}
