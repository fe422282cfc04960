package io.edgegateway.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code h2c://} and {@code h2://} upstreams, and {@code upstream.h2}. */
class UpstreamHttp2ConfigTest {

    @Test
    void h2cAndH2UpstreamsAreNormalizedWithTheirSchemesDefaultPorts() throws Exception {
        GatewayConfig config = ConfigLoader.parse("""
                gateway.routes = [ { id = a, match.path-prefix = "/", upstreams = ["h2c://h", "H2://h", "h2c://h:9", "h2://h:8443/"] } ]
                """, "t.conf");

        assertEquals(List.of(URI.create("h2c://h:80"), URI.create("h2://h:443"), URI.create("h2c://h:9"), URI.create("h2://h:8443")),
                config.routes().get(0).upstreams());
    }

    @Test
    void maxConcurrentStreamsDefaultsTo100AndIsOverridable() throws Exception {
        assertEquals(100, ConfigLoader.parse("", "t.conf").upstream().h2MaxConcurrentStreams());
        assertEquals(7, ConfigLoader.parse("gateway.upstream.h2.max-concurrent-streams = 7", "t.conf")
                .upstream().h2MaxConcurrentStreams());
    }

    @Test
    void badValuesAreReportedWithFileAndLine() {
        InvalidConfigException e = assertThrows(InvalidConfigException.class, () -> ConfigLoader.parse("""
                gateway.upstream.h2 { max-concurrent-streams = 0, max-streams = 3 }
                gateway.routes = [ { id = a, match.path-prefix = "/", upstreams = ["h2c://h/x", "h3://h"] } ]
                """, "t.conf"));

        assertEquals(List.of(
                "t.conf:1: gateway.upstream.h2.max-concurrent-streams: 0 (expected: an integer > 0)",
                "t.conf:1: gateway.upstream.h2.max-streams: unknown key (expected one of: max-concurrent-streams)",
                "t.conf:2: gateway.routes[0].upstreams[0]: \"h2c://h/x\" (expected: an http://, https://, h2c:// or h2://host:port URL without path, query or user)",
                "t.conf:2: gateway.routes[0].upstreams[1]: \"h3://h\" (expected: an http://, https://, h2c:// or h2://host:port URL without path, query or user)"),
                e.problems().stream().map(ConfigProblem::toString).toList());
    }

    @Test
    void healthChecksAreRefusedOnRoutesWithHttp2Upstreams() {
        InvalidConfigException e = assertThrows(InvalidConfigException.class, () -> ConfigLoader.parse("""
                gateway.routes = [
                  { id = a, match.path-prefix = "/a", upstreams = ["http://h:1"], health-check.path = "/health" }
                  { id = b, match.path-prefix = "/b", upstreams = ["http://h:1", "h2c://h:2"], health-check.path = "/health" }
                ]
                """, "t.conf"));

        assertEquals(List.of("t.conf:3: gateway.routes[1].health-check: not available with h2c:// or h2:// upstreams"
                        + " (checks speak HTTP/1.1); outlier-detection watches their streams"),
                e.problems().stream().map(ConfigProblem::toString).toList());
    }
}
