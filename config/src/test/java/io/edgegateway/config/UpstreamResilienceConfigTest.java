package io.edgegateway.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * {@code upstream.outlier-detection}, {@code upstream.dns-refresh}, {@code upstream.slow-start}, and a route's retries,
 * health-check, outlier-detection and slow-start.
 */
class UpstreamResilienceConfigTest {

    private static final String ROUTE = "id = a, match.path-prefix = \"/\", upstreams = [\"http://h:1\"]";
    private static final OutlierDetection DEFAULT_OUTLIERS = new OutlierDetection(5, Duration.ofSeconds(10), 50);

    @Test
    void globalOutlierDetectionAndDnsRefreshAreOverridable() throws Exception {
        GatewayConfig config = ConfigLoader.parse("""
                gateway.upstream { outlier-detection { consecutive-failures = 2, base-ejection = 500ms }, dns-refresh = 5s }
                gateway.routes = [ { %s } ]
                """.formatted(ROUTE), "t.conf");

        OutlierDetection expected = new OutlierDetection(2, Duration.ofMillis(500), 50);
        assertEquals(Optional.of(expected), config.upstream().outlierDetection());
        assertEquals(Duration.ofSeconds(5), config.upstream().dnsRefresh());
        assertEquals(Optional.of(expected), config.routes().get(0).outlierDetection());
    }

    @Test
    void routeOutlierDetectionTakesKeysItLeavesOutFromTheGlobalOne() throws Exception {
        List<RouteConfig> routes = ConfigLoader.parse("""
                gateway.upstream.outlier-detection.max-ejection-percent = 100
                gateway.routes = [
                  { %s, outlier-detection { consecutive-failures = 3 } }
                  { %s, id = b, outlier-detection = off }
                ]
                """.formatted(ROUTE, ROUTE), "t.conf").routes();

        assertEquals(Optional.of(new OutlierDetection(3, Duration.ofSeconds(10), 100)), routes.get(0).outlierDetection());
        assertEquals(Optional.empty(), routes.get(1).outlierDetection());
    }

    @Test
    void globalOutlierDetectionOffLeavesRoutesOffUnlessTheyAskWithBuiltInDefaults() throws Exception {
        GatewayConfig config = ConfigLoader.parse("""
                gateway.upstream.outlier-detection = off
                gateway.routes = [
                  { %s }
                  { %s, id = b, outlier-detection.base-ejection = 1m }
                ]
                """.formatted(ROUTE, ROUTE), "t.conf");

        assertEquals(Optional.empty(), config.upstream().outlierDetection());
        assertEquals(Optional.empty(), config.routes().get(0).outlierDetection());
        assertEquals(Optional.of(new OutlierDetection(5, Duration.ofMinutes(1), 50)), config.routes().get(1).outlierDetection());
    }

    @Test
    void routeRetriesOverrideRouteDefaultsKeyByKey() throws Exception {
        List<RouteConfig> routes = ConfigLoader.parse("""
                gateway.route-defaults.retries { attempts = 3, per-try-timeout = 1s }
                gateway.routes = [
                  { %s }
                  { %s, id = b, retries { on = [connect-failure, reset, timeout, 502, 503, "504"], budget-percent = 12.5 } }
                  { %s, id = c, retries = off }
                ]
                """.formatted(ROUTE, ROUTE, ROUTE), "t.conf").routes();

        assertEquals(new RetryPolicy(3, Set.of(RetryCondition.CONNECT_FAILURE), Set.of(), Optional.of(Duration.ofSeconds(1)), 20),
                routes.get(0).retries());
        RetryPolicy b = routes.get(1).retries();
        assertEquals(new RetryPolicy(3, Set.of(RetryCondition.CONNECT_FAILURE, RetryCondition.RESET, RetryCondition.TIMEOUT),
                Set.of(502, 503, 504), Optional.of(Duration.ofSeconds(1)), 12.5), b);
        assertTrue(routes.get(1).retriesOn(RetryCondition.TIMEOUT));
        assertTrue(b.retriesOnStatus(503));
        assertFalse(b.retriesOnStatus(500));
        assertEquals(RetryPolicy.OFF, routes.get(2).retries());
        assertFalse(routes.get(2).retriesOn(RetryCondition.CONNECT_FAILURE));
    }

    @Test
    void routeDefaultsRetriesOffAppliesToRoutesThatSayNothing() throws Exception {
        List<RouteConfig> routes = ConfigLoader.parse("""
                gateway.route-defaults.retries = off
                gateway.routes = [
                  { %s }
                  { %s, id = b, retries.on = [reset] }
                ]
                """.formatted(ROUTE, ROUTE), "t.conf").routes();

        assertEquals(RetryPolicy.OFF, routes.get(0).retries());
        assertEquals(1, routes.get(0).retries().attempts());
        assertEquals(new RetryPolicy(2, Set.of(RetryCondition.RESET), Set.of(), Optional.empty(), 20), routes.get(1).retries());
    }

    @Test
    void attemptsOfOneIsAPolicyThatNeverRetries() throws Exception {
        RouteConfig route = ConfigLoader.parse("gateway.routes = [ { %s, retries.attempts = 1 } ]".formatted(ROUTE), "t.conf")
                .routes().get(0);

        assertEquals(1, route.retries().attempts());
        assertFalse(route.retriesOn(RetryCondition.CONNECT_FAILURE));
    }

    @Test
    void healthCheckIsOffUnlessSetAndEveryKeyHasADefault() throws Exception {
        List<RouteConfig> routes = ConfigLoader.parse("""
                gateway.routes = [
                  { %s, health-check {} }
                  { %s, id = b, health-check { path = "/ready?deep=1", interval = 2s, timeout = 2s, healthy-threshold = 1,
                    unhealthy-threshold = 100 } }
                  { %s, id = c, health-check = off }
                ]
                """.formatted(ROUTE, ROUTE, ROUTE), "t.conf").routes();

        assertEquals(Optional.of(new HealthCheck("/health", Duration.ofSeconds(10), Duration.ofSeconds(5), 2, 3)),
                routes.get(0).healthCheck());
        assertEquals(Optional.of(new HealthCheck("/ready?deep=1", Duration.ofSeconds(2), Duration.ofSeconds(2), 1, 100)),
                routes.get(1).healthCheck());
        assertEquals(Optional.empty(), routes.get(2).healthCheck());
    }

    @Test
    void badGlobalUpstreamKeys() {
        assertProblems("""
                gateway.upstream {
                  outlier-detection { consecutive-failures = 0, base-ejection = 0s, max-ejection-percent = 101, max-ejection-percnt = 1 }
                  dns-refresh = 0s
                  dns-refesh = 1s
                }
                """,
                "t.conf:2: gateway.upstream.outlier-detection.base-ejection: \"0s\" (expected: a duration > 0)",
                "t.conf:2: gateway.upstream.outlier-detection.consecutive-failures: 0 (expected: an integer > 0)",
                "t.conf:2: gateway.upstream.outlier-detection.max-ejection-percent: 101 (expected: an integer in 1..100)",
                "t.conf:2: gateway.upstream.outlier-detection.max-ejection-percnt: unknown key (did you mean `max-ejection-percent`?)",
                "t.conf:3: gateway.upstream.dns-refresh: \"0s\" (expected: a duration > 0)",
                "t.conf:4: gateway.upstream.dns-refesh: unknown key (did you mean `dns-refresh`?)");
    }

    @Test
    void outlierDetectionThatIsNeitherOffNorAnObject() {
        assertProblems("""
                gateway.upstream.outlier-detection = on
                gateway.routes = [ { %s
                  outlier-detection = 3 } ]
                """.formatted(ROUTE),
                "t.conf:1: gateway.upstream.outlier-detection: \"on\" (expected: off or an object { consecutive-failures = N, "
                        + "base-ejection = D, max-ejection-percent = P })",
                "t.conf:3: gateway.routes[0].outlier-detection: 3 (expected: off or an object { consecutive-failures = N, "
                        + "base-ejection = D, max-ejection-percent = P })");
    }

    @Test
    void badRouteOutlierDetection() {
        assertProblems("""
                gateway.routes = [ { %s
                  outlier-detection { consecutive-failure = 3, max-ejection-percent = 0 } } ]
                """.formatted(ROUTE),
                "t.conf:2: gateway.routes[0].outlier-detection.consecutive-failure: unknown key (did you mean `consecutive-failures`?)",
                "t.conf:2: gateway.routes[0].outlier-detection.max-ejection-percent: 0 (expected: an integer in 1..100)");
    }

    @Test
    void badRetries() {
        assertProblems("""
                gateway.routes = [ { %s
                  retries {
                    attempts = 11
                    on = [connect-failure, 404, 600, refused, 502]
                    per-try-timeout = 0s
                    budget-percent = 0
                    backoff = 10ms
                  }
                } ]
                """.formatted(ROUTE),
                "t.conf:3: gateway.routes[0].retries.attempts: 11 (expected: an integer in 1..10)",
                "t.conf:4: gateway.routes[0].retries.on[1]: 404 (expected: connect-failure, reset, timeout or a status code 500..599)",
                "t.conf:4: gateway.routes[0].retries.on[2]: 600 (expected: connect-failure, reset, timeout or a status code 500..599)",
                "t.conf:4: gateway.routes[0].retries.on[3]: \"refused\" (expected: connect-failure, reset, timeout or a status code "
                        + "500..599)",
                "t.conf:5: gateway.routes[0].retries.per-try-timeout: \"0s\" (expected: a duration > 0)",
                "t.conf:6: gateway.routes[0].retries.budget-percent: 0 (expected: a percentage > 0 and <= 100)",
                "t.conf:7: gateway.routes[0].retries.backoff: unknown key (expected one of: attempts, budget-percent, on, "
                        + "per-try-timeout)");
    }

    @Test
    void badRetriesShapes() {
        assertProblems("""
                gateway.route-defaults.retries { attempts = 0, budget-percent = 101 }
                gateway.routes = [
                  { %s, retries = 2 }
                  { %s, id = b, retries.on = connect-failure }
                ]
                """.formatted(ROUTE, ROUTE),
                "t.conf:1: gateway.route-defaults.retries.attempts: 0 (expected: an integer in 1..10)",
                "t.conf:1: gateway.route-defaults.retries.budget-percent: 101 (expected: a percentage > 0 and <= 100)",
                "t.conf:3: gateway.routes[0].retries: 2 (expected: off or an object { attempts = N, on = [...], "
                        + "per-try-timeout = D, budget-percent = P })",
                "t.conf:4: gateway.routes[1].retries.on: \"connect-failure\" (expected: a list of connect-failure, reset, timeout "
                        + "and status codes 500..599)");
    }

    @Test
    void badHealthCheck() {
        assertProblems("""
                gateway.routes = [
                  { %s
                    health-check { path = "health", interval = 0s, healthy-threshold = 0, unhealthy-threshold = 101, intervall = 1s } }
                  { %s, id = b
                    health-check { interval = 1s, timeout = 2s } }
                  { %s, id = c
                    health-check { interval = 1s } }
                  { %s, id = d
                    health-check = yes }
                ]
                """.formatted(ROUTE, ROUTE, ROUTE, ROUTE),
                "t.conf:3: gateway.routes[0].health-check.healthy-threshold: 0 (expected: an integer in 1..100)",
                "t.conf:3: gateway.routes[0].health-check.interval: \"0s\" (expected: a duration > 0)",
                "t.conf:3: gateway.routes[0].health-check.intervall: unknown key (did you mean `interval`?)",
                "t.conf:3: gateway.routes[0].health-check.path: \"health\" (expected: a path starting with /, without spaces or #)",
                "t.conf:3: gateway.routes[0].health-check.unhealthy-threshold: 101 (expected: an integer in 1..100)",
                "t.conf:5: gateway.routes[1].health-check.timeout: \"2s\" (expected: a duration <= interval (1s))",
                "t.conf:7: gateway.routes[2].health-check.interval: \"1s\" (expected: a duration >= timeout (5s, the default))",
                "t.conf:9: gateway.routes[3].health-check: \"yes\" (expected: off or an object { path = \"/health\", interval = D, "
                        + "timeout = D, healthy-threshold = N, unhealthy-threshold = N })");
    }

    @Test
    void slowStartIsGlobalWithARouteOverrideAndOffOrZeroForNone() throws Exception {
        GatewayConfig config = ConfigLoader.parse("""
                gateway.upstream.slow-start = 30s
                gateway.routes = [
                  { %s }
                  { %s, id = b, slow-start = 2s }
                  { %s, id = c, slow-start = off }
                  { %s, id = d, slow-start = 0s }
                ]
                """.formatted(ROUTE, ROUTE, ROUTE, ROUTE), "t.conf");

        assertEquals(Duration.ofSeconds(30), config.upstream().slowStart());
        assertEquals(List.of(Duration.ofSeconds(30), Duration.ofSeconds(2), Duration.ZERO, Duration.ZERO),
                config.routes().stream().map(RouteConfig::slowStart).toList());
        assertEquals(Duration.ofSeconds(10), ConfigLoader.parse("gateway.routes = [ { %s } ]".formatted(ROUTE), "t.conf")
                .routes().get(0).slowStart());
    }

    @Test
    void badSlowStart() {
        assertProblems("""
                gateway.upstream.slow-start = -1s
                gateway.routes = [ { %s
                  slow-start = soon } ]
                """.formatted(ROUTE),
                "t.conf:1: gateway.upstream.slow-start: \"-1s\" (expected: a duration >= 0s)",
                "t.conf:3: gateway.routes[0].slow-start: \"soon\" (expected: off or a duration >= 0)");
    }

    @Test
    void recordsRejectWhatTheReaderRejects() {
        assertThrows(IllegalArgumentException.class, () -> new RetryPolicy(0, Set.of(), Set.of(), Optional.empty(), 20));
        assertThrows(IllegalArgumentException.class, () -> new RetryPolicy(2, Set.of(), Set.of(404), Optional.empty(), 20));
        assertThrows(IllegalArgumentException.class, () -> new OutlierDetection(0, Duration.ofSeconds(1), 50));
        assertThrows(IllegalArgumentException.class,
                () -> new HealthCheck("/h", Duration.ofSeconds(1), Duration.ofSeconds(2), 2, 3));
        assertEquals(DEFAULT_OUTLIERS, OutlierDetection.DEFAULT);
    }

    private static void assertProblems(String hocon, String... expected) {
        InvalidConfigException e = assertThrows(InvalidConfigException.class, () -> ConfigLoader.parse(hocon, "t.conf"));
        assertEquals(List.of(expected), e.problems().stream().map(ConfigProblem::toString).toList());
    }
}
