package io.edgegateway.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DefaultsTest {

    @Test
    void emptyFileIsReferenceConf() throws Exception {
        GatewayConfig config = ConfigLoader.parse("", "empty.conf");

        assertEquals(ListenConfig.plain("0.0.0.0", 8080), config.listen());
        assertEquals(new Endpoint("127.0.0.1", 9090), config.admin());
        assertEquals(Duration.ofSeconds(10), config.shutdownGrace());
        assertEquals(new Limits(16384, 10 * 1024 * 1024, Duration.ofSeconds(60), Duration.ofSeconds(10),
                new MinBodyRate(1024, Duration.ofSeconds(10)), 64 * 1024), config.limits());
        assertEquals(new UpstreamDefaults(1024, 1024, Duration.ofSeconds(60), Optional.empty(),
                Optional.of(new OutlierDetection(5, Duration.ofSeconds(10), 50)), Duration.ofSeconds(30), Duration.ofSeconds(10)),
                config.upstream());
        assertEquals(List.of(new ClientIpIdentity(List.of("127.0.0.0/8", "::1/128"))), config.identity().sources());
        assertEquals(new RateLimitConfig(StoreType.LOCAL, Algorithm.SLIDING_LOG, FailurePolicy.FAIL_OPEN, LimitMode.ENFORCE,
                Optional.empty(), 1,
                new RedisConfig(List.of(URI.create("redis://127.0.0.1:6379")), List.of(), Duration.ofMillis(50),
                        new CircuitBreakerConfig(3, Duration.ofSeconds(5)))), config.rateLimit());
        assertEquals(Optional.empty(), config.loadShedding());
        assertEquals(List.of(), config.routes());
        assertEquals(PathsConfig.DEFAULTS, config.paths());
    }

    @Test
    void routeGetsRouteDefaults() throws Exception {
        RouteConfig route = onlyRoute("""
                gateway.routes = [ { id = a, match.path-prefix = "/a", upstreams = ["http://localhost"] } ]
                """);

        assertEquals(new RouteMatch("/a", Set.of(), Optional.empty()), route.match());
        assertEquals(false, route.stripPrefix());
        assertEquals(List.of(URI.create("http://localhost:80")), route.upstreams());
        assertEquals(LoadBalancing.ROUND_ROBIN, route.loadBalancing());
        assertEquals(new Timeouts(Duration.ofSeconds(1), Duration.ofSeconds(10), Duration.ofMinutes(5)), route.timeouts());
        assertEquals(new RouteRateLimit.Inherit(), route.rateLimit());
        assertEquals(Optional.empty(), route.hedge());
        assertEquals(new RouteShedding.Inherit(), route.loadShedding());
        assertEquals(List.of("websocket"), route.upgrades());
        assertEquals(new RetryPolicy(2, Set.of(RetryCondition.CONNECT_FAILURE), Set.of(), Optional.empty(), 20), route.retries());
        assertEquals(Optional.empty(), route.healthCheck());
        assertEquals(Optional.of(new OutlierDetection(5, Duration.ofSeconds(10), 50)), route.outlierDetection());
    }

    @Test
    void routeDefaultsAreOverridableAndPartialKeysInherit() throws Exception {
        GatewayConfig config = ConfigLoader.parse("""
                gateway {
                  route-defaults { load-balancing = least-request, timeouts.response = 3s, timeouts.upgraded-idle = 10m }
                  rate-limit.default { requests = 10, window = 1m }
                  load-shedding { p99-above = 300ms, min-samples = 20 }
                  routes = [
                    { id = a, match { path-prefix = "/a", methods = [get], host = API.Example.com }, upstreams = ["http://h:1/"]
                      timeouts.connect = 200ms, rate-limit.requests = 3, load-shedding.window = 5s
                      hedge { after = 40ms, max-extra-percent = 2.5 } }
                    { id = b, match.path-prefix = "/b", upstreams = ["http://h:1"], rate-limit = off, load-shedding = off
                      hedge.after = p99.9, timeouts.upgraded-idle = 30s }
                  ]
                }
                """, "t.conf");

        RouteConfig a = config.routes().get(0);
        assertEquals(new RouteMatch("/a", Set.of("GET"), Optional.of("api.example.com")), a.match());
        assertEquals(LoadBalancing.LEAST_REQUEST, a.loadBalancing());
        assertEquals(new Timeouts(Duration.ofMillis(200), Duration.ofSeconds(3), Duration.ofMinutes(10)), a.timeouts());
        assertEquals(new RouteRateLimit.Limited(new Quota(3, Duration.ofMinutes(1))), a.rateLimit());
        assertEquals(new RouteShedding.Enabled(new LoadSheddingConfig(Duration.ofMillis(300), Duration.ofSeconds(5), 20)),
                a.loadShedding());
        assertEquals(Optional.of(new HedgeConfig(new HedgeDelay.Fixed(Duration.ofMillis(40)), 2.5)), a.hedge());

        RouteConfig b = config.routes().get(1);
        assertEquals(new Timeouts(Duration.ofSeconds(1), Duration.ofSeconds(3), Duration.ofSeconds(30)), b.timeouts());
        assertEquals(new RouteRateLimit.Off(), b.rateLimit());
        assertEquals(Optional.empty(), b.rateLimit().effective(config.rateLimit().defaultQuota()));
        assertEquals(new RouteShedding.Off(), b.loadShedding());
        assertEquals(Optional.of(new HedgeConfig(new HedgeDelay.Percentile(0.999), 10)), b.hedge());
    }

    @Test
    void routeSheddingWithoutGlobalUsesBuiltInDefaults() throws Exception {
        RouteConfig route = onlyRoute("""
                gateway.routes = [ { id = a, match.path-prefix = "/", upstreams = ["http://h:1"], load-shedding.p99-above = 150ms } ]
                """);

        assertEquals(new RouteShedding.Enabled(new LoadSheddingConfig(Duration.ofMillis(150), Duration.ofSeconds(10), 100)),
                route.loadShedding());
    }

    @Test
    void demoConfHasTwoRoutesToTheDemoUpstream() throws Exception {
        GatewayConfig demo = ConfigLoader.loadResource("demo.conf");

        assertEquals(8080, demo.listen().port());
        RouteConfig limited = demo.routes().stream().filter(r -> r.id().equals("limited")).findFirst().orElseThrow();
        RouteConfig all = demo.routes().stream().filter(r -> r.id().equals("demo")).findFirst().orElseThrow();
        assertEquals("/limited", limited.match().pathPrefix());
        assertEquals(new RouteRateLimit.Limited(new Quota(5, Duration.ofSeconds(10))), limited.rateLimit());
        assertEquals("/", all.match().pathPrefix());
        assertEquals(List.of(URI.create("http://127.0.0.1:9001")), all.upstreams());
        assertEquals(all.upstreams(), limited.upstreams());
    }

    private static RouteConfig onlyRoute(String hocon) throws InvalidConfigException {
        List<RouteConfig> routes = ConfigLoader.parse(hocon, "t.conf").routes();
        assertEquals(1, routes.size());
        return routes.get(0);
    }
}
