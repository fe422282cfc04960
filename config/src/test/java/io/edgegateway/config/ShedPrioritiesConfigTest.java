package io.edgegateway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;
import org.junit.jupiter.api.Test;

/** {@code load-shedding.priority-header} and {@code priorities}, globally and per route. */
class ShedPrioritiesConfigTest {

    private static GatewayConfig parse(String body) throws Exception {
        return ConfigLoader.parse("gateway {\n" + body + "\n}\n", "t.conf");
    }

    private static final String ROUTE = "routes = [{ id = r, match { path-prefix = \"/\" }, upstreams = [\"http://127.0.0.1:1\"] %s }]";

    @Test
    void byDefaultOnlyTrustedProxiesSetPriorities() throws Exception {
        LoadSheddingConfig shedding = parse("load-shedding { p99-above = 100ms }").loadShedding().orElseThrow();
        assertThat(shedding.priorityHeader()).isEqualTo(PriorityHeader.TRUSTED);
        assertThat(shedding.priorities().isEmpty()).isTrue();
    }

    @Test
    void aRouteInheritsThePrioritiesAndMayOverrideWhoseHeaderCounts() throws Exception {
        GatewayConfig config = parse("load-shedding { p99-above = 100ms, priorities { high = [ops], low = [batch, bulk] } }\n"
                + ROUTE.formatted(", load-shedding { priority-header = any }"));
        LoadSheddingConfig route = config.routes().get(0).loadShedding().effective(config.loadShedding()).orElseThrow();
        assertThat(route.priorityHeader()).isEqualTo(PriorityHeader.ANY);
        assertThat(route.priorities()).isEqualTo(new ShedPriorities(Set.of("ops"), Set.of("batch", "bulk")));
    }

    @Test
    void anUnknownPolicyOrKeyNamesFileLineAndKey() {
        assertThatThrownBy(() -> parse("load-shedding { p99-above = 100ms,\n priority-header = everyone,\n"
                + " priorities { hi = [x] } }"))
                .hasMessageContaining("t.conf:3")
                .hasMessageContaining("priority-header")
                .hasMessageContaining("hi");
    }
}
