package io.edgegateway.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Section 2 of the contract, copied verbatim, is the configuration every other one grows from. */
class ContractExampleTest {

    @Test
    void loadsEveryKeyAsWritten() throws Exception {
        GatewayConfig config = ConfigLoader.load(Path.of(getClass().getResource("/contract-example.conf").toURI()));

        assertEquals(ListenConfig.plain("0.0.0.0", 8080), config.listen());
        assertEquals(new Endpoint("127.0.0.1", 9090), config.admin());
        assertEquals(Duration.ofSeconds(10), config.shutdownGrace());
        assertEquals(new Limits(16 * 1024, 10L * 1024 * 1024, Duration.ofSeconds(60), Duration.ofSeconds(10),
                new MinBodyRate(1024, Duration.ofSeconds(10)), 64 * 1024), config.limits());

        List<IdentitySource> sources = config.identity().sources();
        assertEquals(new HeaderIdentity("X-API-Key"), sources.get(0));
        JwtIdentity jwt = (JwtIdentity) sources.get(1);
        assertEquals("Authorization", jwt.header());
        assertEquals("sub", jwt.claim());
        assertEquals(Optional.ofNullable(System.getenv("JWT_SECRET")), jwt.hs256Secret());
        assertEquals(new ClientIpIdentity(List.of("127.0.0.0/8")), sources.get(2));

        RateLimitConfig rateLimit = config.rateLimit();
        assertEquals(StoreType.LOCAL, rateLimit.store());
        assertEquals(Algorithm.SLIDING_LOG, rateLimit.algorithm());
        assertEquals(FailurePolicy.FAIL_OPEN, rateLimit.onStoreFailure());
        assertEquals(LimitMode.ENFORCE, rateLimit.mode());
        assertEquals(Optional.of(new Quota(100, Duration.ofSeconds(60))), rateLimit.defaultQuota());
        assertEquals(List.of(URI.create("redis://127.0.0.1:6379"), URI.create("redis://127.0.0.1:6380")), rateLimit.redis().shards());
        assertEquals(List.of(URI.create("redis://127.0.0.1:7000")), rateLimit.redis().cluster());
        assertEquals(Duration.ofMillis(50), rateLimit.redis().commandTimeout());
        assertEquals(new CircuitBreakerConfig(3, Duration.ofSeconds(5)), rateLimit.redis().circuitBreaker());

        assertEquals(Optional.of(new OutlierDetection(5, Duration.ofSeconds(10), 50)), config.upstream().outlierDetection());
        assertEquals(Duration.ofSeconds(30), config.upstream().dnsRefresh());

        LoadSheddingConfig global = new LoadSheddingConfig(Duration.ofMillis(200), Duration.ofSeconds(10), 100);
        assertEquals(Optional.of(global), config.loadShedding());

        RouteConfig users = config.routes().get(0);
        assertEquals("users", users.id());
        assertEquals(new RouteMatch("/api/users", Set.of("GET", "POST"), Optional.of("api.example.com")), users.match());
        assertEquals(false, users.stripPrefix());
        assertEquals(List.of(URI.create("http://127.0.0.1:9001"), URI.create("http://127.0.0.1:9002")), users.upstreams());
        assertEquals(LoadBalancing.ROUND_ROBIN, users.loadBalancing());
        assertEquals(new Timeouts(Duration.ofSeconds(1), Duration.ofSeconds(10), Duration.ofMinutes(5)), users.timeouts());
        assertEquals(new RouteRateLimit.Limited(new Quota(100, Duration.ofSeconds(60))), users.rateLimit());
        assertEquals(Optional.of(new HedgeConfig(new HedgeDelay.Percentile(0.95), 10)), users.hedge());
        assertEquals(new RouteShedding.Enabled(new LoadSheddingConfig(Duration.ofMillis(150), Duration.ofSeconds(10), 100)),
                users.loadShedding());
        assertEquals(new RetryPolicy(2, Set.of(RetryCondition.CONNECT_FAILURE, RetryCondition.RESET, RetryCondition.TIMEOUT),
                Set.of(502, 503, 504), Optional.of(Duration.ofSeconds(2)), 20), users.retries());
        assertEquals(Optional.of(new HealthCheck("/health", Duration.ofSeconds(10), Duration.ofSeconds(5), 2, 3)),
                users.healthCheck());
        assertEquals(Optional.of(new OutlierDetection(3, Duration.ofSeconds(10), 50)), users.outlierDetection());
        assertTrue(config.routes().size() == 1);
    }
}
