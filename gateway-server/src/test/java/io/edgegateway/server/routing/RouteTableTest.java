package io.edgegateway.server.routing;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgegateway.config.ConfigLoader;
import io.edgegateway.filters.metrics.GatewayMetrics;
import io.netty.handler.codec.http.HttpMethod;
import org.junit.jupiter.api.Test;

class RouteTableTest {

    private static RouteTable table(String routes) throws Exception {
        return RouteTable.compile(ConfigLoader.parse("gateway { routes = [" + routes + "] }", "test.conf").routes(),
                new GatewayMetrics());
    }

    private static String route(String id, String match) {
        return "{ id = " + id + ", match { " + match + " }, upstreams = [\"http://127.0.0.1:1\"] }";
    }

    @Test
    void theLongestPrefixWinsWhateverTheOrder() throws Exception {
        RouteTable table = table(route("short", "path-prefix = \"/a\"") + ", "
                + route("long", "path-prefix = \"/a/b\""));
        assertThat(table.match("h", HttpMethod.GET, "/a/b/c").id()).isEqualTo("long");
        assertThat(table.match("h", HttpMethod.GET, "/a/bc").id()).isEqualTo("short");
        assertThat(table.match("h", HttpMethod.GET, "/b")).isNull();
    }

    @Test
    void onEqualPrefixesARouteNamingAHostOrMethodsComesFirst() throws Exception {
        RouteTable table = table(route("any", "path-prefix = \"/\"") + ", "
                + route("posts", "path-prefix = \"/\", methods = [POST]") + ", "
                + route("hosted", "path-prefix = \"/\", host = \"api.example.com\""));
        assertThat(table.match("API.Example.com:8443", HttpMethod.GET, "/x").id()).isEqualTo("hosted");
        assertThat(table.match("other", HttpMethod.POST, "/x").id()).isEqualTo("posts");
        assertThat(table.match("other", HttpMethod.GET, "/x").id()).isEqualTo("any");
        assertThat(table.match(null, HttpMethod.GET, "/x").id()).isEqualTo("any");
    }

    @Test
    void hostMatchingIgnoresThePortButNotTheRest() throws Exception {
        RouteTable table = table(route("hosted", "path-prefix = \"/\", host = \"api.example.com\""));
        assertThat(table.match("api.example.com", HttpMethod.GET, "/")).isNotNull();
        assertThat(table.match("api.example.com:80", HttpMethod.GET, "/")).isNotNull();
        assertThat(table.match("api.example.com.evil", HttpMethod.GET, "/")).isNull();
        assertThat(table.match("xapi.example.com", HttpMethod.GET, "/")).isNull();
    }

    @Test
    void stripPrefixLeavesAtLeastASlash() throws Exception {
        Route route = table("{ id = s, match { path-prefix = \"/api/\" }, strip-prefix = true, "
                + "upstreams = [\"http://127.0.0.1:1\"] }").match("h", HttpMethod.GET, "/api");
        assertThat(route.upstreamPath("/api")).isEqualTo("/");
        assertThat(route.upstreamPath("/api/v1/x")).isEqualTo("/v1/x");
    }
}
