package io.edgegateway.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every mistake in a file is reported at once, as FILE:LINE: path: value (expected: ...). */
class ProblemReportTest {

    @TempDir
    Path dir;

    @Test
    void reportsEveryMistakeWithFileAndLine() throws Exception {
        Path file = Files.writeString(dir.resolve("gateway.conf"), """
                gateway {
                  listen { host = "0.0.0.0", port = 70000 }
                  shutdown-grace = abc
                  rate-limit { store = redsi }
                  routes = [
                    {
                      id = users
                      match { path-prefix = "/users" }
                      strip-prefx = true
                      upstreams = [ "http://127.0.0.1:9001" ]
                      timeouts { connect = abc }
                    }
                    {
                      id = users
                      match { path-prefix = "/other" }
                    }
                  ]
                }
                """);

        InvalidConfigException e = assertThrows(InvalidConfigException.class, () -> ConfigLoader.load(file));

        List<String> expected = List.of(
                file + ":2: gateway.listen.port: 70000 (expected: an integer in 0..65535)",
                file + ":3: gateway.shutdown-grace: \"abc\" (expected: a duration such as 500ms or 2s)",
                file + ":4: gateway.rate-limit.store: \"redsi\" (expected: one of local, redis, redis-cluster)",
                file + ":9: gateway.routes[0].strip-prefx: unknown key (did you mean `strip-prefix`?)",
                file + ":11: gateway.routes[0].timeouts.connect: \"abc\" (expected: a duration such as 500ms or 2s)",
                file + ":13: gateway.routes[1].upstreams: missing (expected: a non-empty list of http://, https://, h2c:// or h2://host:port URLs)",
                file + ":14: gateway.routes[1].id: duplicate route id \"users\" (already used by gateway.routes[0].id at "
                        + file + ":7)");
        assertEquals(expected, e.problems().stream().map(ConfigProblem::toString).toList());
        assertEquals(String.join("\n", expected), e.getMessage());
    }

    @Test
    void syntaxErrorIsOneProblemWithItsLine() throws Exception {
        Path file = Files.writeString(dir.resolve("broken.conf"), """
                gateway {
                  listen { port = 8080 }
                  routes = [ { id = a, match { path-prefix = "/" } ]
                }
                """);

        InvalidConfigException e = assertThrows(InvalidConfigException.class, () -> ConfigLoader.load(file));

        assertEquals(1, e.problems().size());
        ConfigProblem problem = e.problems().get(0);
        assertEquals(file.toString(), problem.file());
        assertEquals(3, problem.line());
    }

    @Test
    void missingFile() {
        Path file = dir.resolve("nope.conf");

        InvalidConfigException e = assertThrows(InvalidConfigException.class, () -> ConfigLoader.load(file));

        assertEquals(file + ": no such file", e.getMessage());
    }

    @Test
    void missingRequiredRouteKeys() {
        assertProblems("gateway.routes = [ { strip-prefix = true } ]",
                "t.conf:1: gateway.routes[0].id: missing (expected: a non-empty id of letters, digits, '_', '.' and '-')",
                "t.conf:1: gateway.routes[0].match: missing (expected: an object { path-prefix = \"/...\" })",
                "t.conf:1: gateway.routes[0].upstreams: missing (expected: a non-empty list of http://, https://, h2c:// or h2://host:port URLs)");
    }

    @Test
    void badRouteValues() {
        assertProblems("""
                gateway.routes = [ {
                  id = "no spaces"
                  match { path-prefix = "users", methods = ["GE T"] }
                  upstreams = [ "https://a:443/x", "http://b:1/path", "ftp://c" ]
                  load-balancing = random
                  rate-limit = 5
                  hedge { after = p20, max-extra-percent = 0 }
                  load-shedding = on
                } ]
                """,
                "t.conf:2: gateway.routes[0].id: \"no spaces\" (expected: a non-empty id of letters, digits, '_', '.' and '-')",
                "t.conf:3: gateway.routes[0].match.methods[0]: \"GE T\" (expected: an HTTP method such as GET)",
                "t.conf:3: gateway.routes[0].match.path-prefix: \"users\" (expected: a path starting with /, without spaces, ? or #)",
                "t.conf:4: gateway.routes[0].upstreams[0]: \"https://a:443/x\" (expected: an http://, https://, h2c:// or h2://host:port URL without path, query or user)",
                "t.conf:4: gateway.routes[0].upstreams[1]: \"http://b:1/path\" (expected: an http://, https://, h2c:// or h2://host:port URL without path, query or user)",
                "t.conf:4: gateway.routes[0].upstreams[2]: \"ftp://c\" (expected: an http://, https://, h2c:// or h2://host:port URL without path, query or user)",
                "t.conf:5: gateway.routes[0].load-balancing: \"random\" (expected: one of round-robin, least-request)",
                "t.conf:6: gateway.routes[0].rate-limit: 5 (expected: off or an object { requests = N, window = D })",
                "t.conf:7: gateway.routes[0].hedge.after: \"p20\" (expected: a duration such as 50ms, or a percentile of the route's latency p50..p99.9)",
                "t.conf:7: gateway.routes[0].hedge.max-extra-percent: 0 (expected: a percentage > 0 and <= 100)",
                "t.conf:8: gateway.routes[0].load-shedding: \"on\" (expected: off or an object { p99-above = D, window = D, min-samples = N })");
    }

    @Test
    void badTimeouts() {
        assertProblems("""
                gateway.route-defaults.timeouts { upgraded-idle = forever }
                gateway.routes = [ { id = a, match.path-prefix = "/", upstreams = ["http://h:1"]
                  timeouts { upgraded-idle = 0s, upgraded-idel = 1m } } ]
                """,
                "t.conf:1: gateway.route-defaults.timeouts.upgraded-idle: \"forever\" (expected: a duration such as 500ms or 2s)",
                "t.conf:3: gateway.routes[0].timeouts.upgraded-idel: unknown key (did you mean `upgraded-idle`?)",
                "t.conf:3: gateway.routes[0].timeouts.upgraded-idle: \"0s\" (expected: a duration > 0)");
    }

    @Test
    void quotaNeedsBothKeysAndWholeSecondsWithoutADefault() {
        assertProblems("""
                gateway.rate-limit.default { requests = 0, window = 1500ms }
                gateway.routes = [ { id = a, match.path-prefix = "/", upstreams = ["http://h:1"], rate-limit.requests = 5 } ]
                """,
                "t.conf:1: gateway.rate-limit.default.requests: 0 (expected: an integer > 0)",
                "t.conf:1: gateway.rate-limit.default.window: \"1500ms\" (expected: a whole number of seconds >= 1s, such as 60s)",
                "t.conf:2: gateway.routes[0].rate-limit.window: missing (expected: a whole number of seconds >= 1s, such as 60s)");
    }

    @Test
    void resolutionMustDivideTheWindowAndBurstAndBlockForAreChecked() {
        assertProblems("""
                gateway.rate-limit.default { requests = 10, window = 1s, resolution = 300ms }
                gateway.routes = [ { id = a, match.path-prefix = "/", upstreams = ["http://h:1"],
                  rate-limit { requests = 5, window = 1s, resolution = 5ms, burst = 0.5, block-for = forever } } ]
                """,
                "t.conf:1: gateway.rate-limit.default.resolution: \"300ms\" (expected: a whole number of milliseconds >= 10ms that divides the window 1s)",
                "t.conf:3: gateway.routes[0].rate-limit.block-for: \"forever\" (expected: a duration >= 0 in whole milliseconds, such as 15m, or off)",
                "t.conf:3: gateway.routes[0].rate-limit.burst: 0.5 (expected: a number in 1..16, such as 1.5)",
                "t.conf:3: gateway.routes[0].rate-limit.resolution: \"5ms\" (expected: a duration >= 10ms)");
    }

    @Test
    void identityMistakes() {
        assertProblems("""
                gateway.identity.sources = [
                  { type = cookie }
                  { type = header }
                  { type = jwt, header = "Bad Header", rs256-public-key = "missing.pem" }
                  { type = client-ip, trusted-proxies = ["10.0.0.0/33", "::1/129", "fd00::/8", "1.2.3", "example.com"] }
                ]
                """,
                "t.conf:2: gateway.identity.sources[0].type: \"cookie\" (expected: one of header, jwt, client-ip)",
                "t.conf:3: gateway.identity.sources[1].name: missing (expected: a header name)",
                "t.conf:4: gateway.identity.sources[2].header: \"Bad Header\" (expected: a header name)",
                "t.conf:4: gateway.identity.sources[2].rs256-public-key: no such file: missing.pem",
                "t.conf:5: gateway.identity.sources[3].trusted-proxies[0]: \"10.0.0.0/33\" (expected: a CIDR such as 10.0.0.0/8 or fd00::/8)",
                "t.conf:5: gateway.identity.sources[3].trusted-proxies[1]: \"::1/129\" (expected: a CIDR such as 10.0.0.0/8 or fd00::/8)",
                "t.conf:5: gateway.identity.sources[3].trusted-proxies[3]: \"1.2.3\" (expected: a CIDR such as 10.0.0.0/8 or fd00::/8)",
                "t.conf:5: gateway.identity.sources[3].trusted-proxies[4]: \"example.com\" (expected: a CIDR such as 10.0.0.0/8 or fd00::/8)");
    }

    @Test
    void redisStoreNeedsShards() {
        assertProblems("""
                gateway.rate-limit {
                  store = redis
                  redis.shards = []
                  redis.cluster = [ "redis-sentinel://h:26379/m" ]
                }
                """,
                "t.conf:3: gateway.rate-limit.redis.shards: [] (expected: a non-empty list of redis://host:port, rediss://host:port or "
                        + "redis-sentinel://host:port/mastername URIs when rate-limit.store = redis)",
                "t.conf:4: gateway.rate-limit.redis.cluster[0]: \"redis-sentinel://h:26379/m\" (expected: a redis://host:port or rediss://host:port URI)");
    }

    @Test
    void unknownKeysAnywhereUnderGateway() {
        assertProblems("""
                gatway.listen.port = 1
                gateway { limits.max-body = 1k, listn.port = 2, frobnicate = 3 }
                """,
                "t.conf:1: gatway: unknown key (did you mean `gateway`?)",
                "t.conf:2: gateway.frobnicate: unknown key (expected one of: access-log, admin, event-loops, identity, limits, listen, "
                        + "load-shedding, paths, rate-limit, route-defaults, routes, shutdown-grace, tracing, transport, upstream)",
                "t.conf:2: gateway.limits.max-body: unknown key (expected one of: buffer-body-below, header-timeout, "
                        + "headers-with-underscores, idle-timeout, max-body-bytes, max-connections, max-connections-per-client, "
                        + "max-event-loop-lag, max-header-bytes, min-body-rate)",
                "t.conf:2: gateway.listn: unknown key (did you mean `listen`?)");
    }

    @Test
    void badConnectionBoundsAreNamed() {
        assertProblems("gateway.limits { max-connections = 0, max-connections-per-client = -1 }",
                "t.conf:1: gateway.limits.max-connections-per-client: -1 (expected: an integer >= 0)",
                "t.conf:1: gateway.limits.max-connections: 0 (expected: an integer > 0)");
    }

    @Test
    void aBadAccessLogSectionIsNamed() {
        assertProblems("gateway.access-log { enabled = yes-please, queue-size = 0, file = x }",
                "t.conf:1: gateway.access-log.enabled: \"yes-please\" (expected: true or false)",
                "t.conf:1: gateway.access-log.file: unknown key (expected one of: enabled, identity, identity-salt, path, queue-size)",
                "t.conf:1: gateway.access-log.queue-size: 0 (expected: an integer > 0)");
    }

    @Test
    void requiredSubstitutionThatIsUnsetIsAProblem() {
        InvalidConfigException e = assertThrows(InvalidConfigException.class,
                () -> ConfigLoader.parse("gateway.listen.port = ${EDGEGATEWAY_TEST_UNSET}", "t.conf"));

        assertEquals(1, e.problems().size());
        assertEquals("t.conf", e.problems().get(0).file());
        assertEquals(1, e.problems().get(0).line());
    }

    private static void assertProblems(String hocon, String... expected) {
        InvalidConfigException e = assertThrows(InvalidConfigException.class, () -> ConfigLoader.parse(hocon, "t.conf"));
        assertEquals(List.of(expected), e.problems().stream().map(ConfigProblem::toString).toList());
    }
}
