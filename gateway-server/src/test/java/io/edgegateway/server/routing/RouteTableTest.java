package io.edgegateway.server.routing;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgegateway.config.ConfigLoader;
import io.edgegateway.config.GatewayConfig;
import io.edgegateway.filters.FilterChain;
import io.edgegateway.filters.metrics.GatewayMetrics;
import io.netty.handler.codec.http.HttpMethod;
import io.edgegateway.server.upstream.UpstreamRegistry;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RouteTableTest {

    private static RouteTable table(String routes) throws Exception {
        return table("", routes);
    }

    private static RouteTable table(String gatewayKeys, String routes) throws Exception {
        GatewayConfig config = ConfigLoader.parse("gateway { " + gatewayKeys + "\n routes = [" + routes + "] }", "test.conf");
        GatewayMetrics metrics = new GatewayMetrics();
        UpstreamRegistry upstreams = new UpstreamRegistry(metrics);
        return RouteTable.compile(config.routes(), metrics, (route, shedder) -> FilterChain.of(List.of()),
                Optional.empty(), config.paths(), upstreams::clusterFor, null);
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

    @Test
    void theHostIsComparedWithoutATrailingDot() throws Exception {
        RouteTable table = table(route("hosted", "path-prefix = \"/\", host = \"api.example.com\"") + ", "
                + route("dotted", "path-prefix = \"/d\", host = \"dotted.example.com.\""));
        assertThat(table.match("api.example.com.", HttpMethod.GET, "/").id()).isEqualTo("hosted");
        assertThat(table.match("API.example.com.:8080", HttpMethod.GET, "/").id()).isEqualTo("hosted");
        assertThat(table.match("dotted.example.com", HttpMethod.GET, "/d").id()).isEqualTo("dotted");
        assertThat(table.match("api.example.com.evil.", HttpMethod.GET, "/")).isNull();
    }

    @Test
    void headFollowsGetUnlessARouteOfTheSamePrefixAndHostNamesHead() throws Exception {
        RouteTable table = table(route("any", "path-prefix = \"/\"") + ", "
                + route("limited", "path-prefix = \"/limited\", methods = [GET]") + ", "
                + route("pages", "path-prefix = \"/pages\", methods = [GET]") + ", "
                + route("page-heads", "path-prefix = \"/pages/\", methods = [HEAD]") + ", "
                + route("posts", "path-prefix = \"/posts\", methods = [POST]"));
        assertThat(table.match("h", HttpMethod.HEAD, "/limited/x").id()).isEqualTo("limited");
        assertThat(table.match("h", HttpMethod.GET, "/limited/x").id()).isEqualTo("limited");
        assertThat(table.match("h", HttpMethod.POST, "/limited/x").id()).isEqualTo("any");
        assertThat(table.match("h", HttpMethod.HEAD, "/pages/1").id()).isEqualTo("page-heads");
        assertThat(table.match("h", HttpMethod.GET, "/pages/1").id()).isEqualTo("pages");
        assertThat(table.match("h", HttpMethod.HEAD, "/posts/1").id()).isEqualTo("any");
    }

    @Test
    void prefixesMatchInAnyCaseWithTrailingDotsAndParametersUnlessCaseSensitive() throws Exception {
        String routes = route("any", "path-prefix = \"/\"") + ", " + route("limited", "path-prefix = \"/limited/v1\"");
        RouteTable table = table(routes);
        for (String path : List.of("/limited/v1", "/LIMITED/V1/x", "/Limited./v1../x", "/limited;a=b/v1/x",
                "/limited/v1;x", "/limited/v1.")) {
            assertThat(table.match("h", HttpMethod.GET, path).id()).as(path).isEqualTo("limited");
        }
        for (String path : List.of("/limitedx/v1", "/limited/v1x", "/limited.x/v1", "/limited/v2", "/limited")) {
            assertThat(table.match("h", HttpMethod.GET, path).id()).as(path).isEqualTo("any");
        }
        RouteTable caseSensitive = table("paths.case-sensitive = true", routes);
        assertThat(caseSensitive.match("h", HttpMethod.GET, "/LIMITED/v1").id()).isEqualTo("any");
        assertThat(caseSensitive.match("h", HttpMethod.GET, "/limited./v1").id()).isEqualTo("limited");
    }

    @Test
    void stripPrefixRemovesTheMatchedSpelling() throws Exception {
        Route route = table("{ id = s, match { path-prefix = \"/api\" }, strip-prefix = true, "
                + "upstreams = [\"http://127.0.0.1:1\"] }").match("h", HttpMethod.GET, "/API./v1");
        assertThat(route.upstreamPath("/API./v1")).isEqualTo("/v1");
        assertThat(route.upstreamPath("/api;x=1/v1")).isEqualTo("/v1");
        assertThat(route.upstreamPath("/Api..")).isEqualTo("/");
    }

    @Test
    void onlyTheRoutesUpgradesArePermitted() throws Exception {
        RouteTable table = table(route("ws", "path-prefix = \"/ws\"") + ", "
                + "{ id = none, match { path-prefix = \"/none\" }, upstreams = [\"http://127.0.0.1:1\"], upgrades = [] }, "
                + "{ id = pinned, match { path-prefix = \"/p\" }, upstreams = [\"http://127.0.0.1:1\"], "
                + "upgrades = [\"foo/2\", WebSocket] }");
        UpgradeProtocols ws = table.match("h", HttpMethod.GET, "/ws").upgrades();
        assertThat(ws.permitted("websocket")).isEqualTo("websocket");
        assertThat(ws.permitted(" WebSocket ")).isEqualTo("WebSocket");
        assertThat(ws.permitted("websocket/13")).isEqualTo("websocket/13");
        assertThat(ws.permitted("h2c")).isNull();
        assertThat(ws.permitted("websocketx")).isNull();
        assertThat(ws.permitted("h2c, websocket")).isEqualTo("websocket");
        assertThat(ws.permitted(null)).isNull();
        assertThat(table.match("h", HttpMethod.GET, "/none").upgrades().permitted("websocket")).isNull();
        UpgradeProtocols pinned = table.match("h", HttpMethod.GET, "/p").upgrades();
        assertThat(pinned.permitted("foo/2, foo/3, foo, websocket")).isEqualTo("foo/2, websocket");

        assertThat(UpgradeProtocols.chosenAmong("WebSocket", "websocket")).isTrue();
        assertThat(UpgradeProtocols.chosenAmong("websocket", "websocket/13")).isTrue();
        assertThat(UpgradeProtocols.chosenAmong("h2c", "websocket")).isFalse();
        assertThat(UpgradeProtocols.chosenAmong(null, "websocket")).isFalse();
    }
}
