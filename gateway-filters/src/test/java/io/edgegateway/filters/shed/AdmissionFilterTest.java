package io.edgegateway.filters.shed;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgegateway.config.ClientIpIdentity;
import io.edgegateway.config.IdentityConfig;
import io.edgegateway.config.LoadSheddingConfig;
import io.edgegateway.config.PriorityHeader;
import io.edgegateway.config.ShedPriorities;
import io.edgegateway.filters.FilterContext;
import io.edgegateway.filters.identity.TrustedProxies;
import io.edgegateway.filters.latency.LatencyWindow;
import io.edgegateway.filters.metrics.GatewayMetrics;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Whose priority the admission believes: a caller cannot grant itself one; a trusted proxy or the identity list can. */
class AdmissionFilterTest {

    private static final TrustedProxies PROXIES =
            TrustedProxies.of(new IdentityConfig(List.of(new ClientIpIdentity(List.of("10.0.0.0/8"))), 4096));

    private static AdmissionFilter filter(PriorityHeader header, ShedPriorities priorities) {
        LoadSheddingConfig config = new LoadSheddingConfig(Duration.ofMillis(100), Duration.ofSeconds(10), 100, header,
                priorities);
        return new AdmissionFilter(new LoadShedder(config, new LatencyWindow(Duration.ofSeconds(10), 10)), config,
                PROXIES, new GatewayMetrics().forRoute("r"));
    }

    private static FilterContext request(String peerIp, String priority, String identity) {
        HttpHeaders headers = new DefaultHttpHeaders();
        if (priority != null) {
            headers.set(Priority.HEADER, priority);
        }
        FilterContext ctx = new FilterContext("r", HttpMethod.GET, "/", headers, peerIp, null);
        ctx.identity(identity);
        return ctx;
    }

    @Test
    void aClientsOwnPriorityIsIgnoredAndRemoved() {
        FilterContext ctx = request("192.0.2.7", "high", null);
        assertThat(filter(PriorityHeader.TRUSTED, ShedPriorities.NONE).priority(ctx)).isEqualTo(Priority.NORMAL);
        assertThat(ctx.requestHeaders().contains(Priority.HEADER)).isFalse();
    }

    @Test
    void aTrustedProxysPriorityIsBelievedAndKept() {
        FilterContext ctx = request("10.1.2.3", "low", null);
        assertThat(filter(PriorityHeader.TRUSTED, ShedPriorities.NONE).priority(ctx)).isEqualTo(Priority.LOW);
        assertThat(ctx.requestHeaders().get(Priority.HEADER)).isEqualTo("low");
    }

    @Test
    void aRouteMayBelieveEveryoneOrNoOne() {
        assertThat(filter(PriorityHeader.ANY, ShedPriorities.NONE).priority(request("192.0.2.7", "high", null)))
                .isEqualTo(Priority.HIGH);
        FilterContext fromProxy = request("10.1.2.3", "high", null);
        assertThat(filter(PriorityHeader.IGNORE, ShedPriorities.NONE).priority(fromProxy)).isEqualTo(Priority.NORMAL);
        assertThat(fromProxy.requestHeaders().contains(Priority.HEADER)).isFalse();
    }

    @Test
    void listedIdentitiesGetTheirPriorityWhateverTheirHeaderSays() {
        AdmissionFilter filter = filter(PriorityHeader.ANY, new ShedPriorities(Set.of("ops"), Set.of("batch")));
        assertThat(filter.priority(request("192.0.2.7", "low", "ops"))).isEqualTo(Priority.HIGH);
        assertThat(filter.priority(request("192.0.2.7", "high", "batch"))).isEqualTo(Priority.LOW);
        assertThat(filter.priority(request("192.0.2.7", null, "someone"))).isEqualTo(Priority.NORMAL);
    }
}
