package io.edgegateway.filters.ratelimit.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.edgegateway.config.Algorithm;
import io.edgegateway.config.CircuitBreakerConfig;
import io.edgegateway.config.Quota;
import io.edgegateway.config.RedisConfig;
import io.edgegateway.config.StoreType;
import io.edgegateway.filters.metrics.GatewayMetrics;
import io.edgegateway.filters.ratelimit.RateLimitDecision;
import io.edgegateway.testkit.RedisServer;
import io.edgegateway.transport.Transport;
import io.edgegateway.transport.TransportKind;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * On loops of each transport the machine offers, the store's connections open on those loops (by
 * address and by host name) and decide there: Lettuce's own pick of socket type is not used.
 */
class RedisOnEachTransportTest {

    private static final Quota QUOTA = new Quota(1, Duration.ofSeconds(60));

    private static RedisServer redis;

    @BeforeAll
    static void start() {
        redis = RedisServer.launch();
    }

    @AfterAll
    static void stop() {
        redis.close();
    }

    @ParameterizedTest
    @EnumSource(TransportKind.class)
    void decidesOnTheLoopsOfEachTransport(TransportKind kind) throws Exception {
        assumeTrue(kind.isAvailable(), () -> kind.label() + " is not available here");
        EventLoopGroup loops = Transport.of(kind).newGroup(1);
        URI byName = URI.create("redis://localhost:" + redis.port());
        RedisConfig config = new RedisConfig(List.of(byName), List.of(), Duration.ofSeconds(2),
                new CircuitBreakerConfig(3, Duration.ofMillis(300)));
        RedisRateLimitStore store = RedisRateLimitStore.create(config, StoreType.REDIS, Algorithm.SLIDING_LOG,
                new GatewayMetrics(), loops);
        try {
            EventLoop loop = loops.next();
            String identity = "on-" + kind.label();
            assertThat(decideOn(loop, store, identity).allowed()).isTrue();
            assertThat(decideOn(loop, store, identity).allowed()).isFalse();
        } finally {
            store.close();
            loops.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    private static RateLimitDecision decideOn(EventLoop loop, RedisRateLimitStore store, String identity)
            throws Exception {
        CompletableFuture<RateLimitDecision> decision = new CompletableFuture<>();
        loop.execute(() -> store.decide(identity, QUOTA).whenComplete((result, error) -> {
            if (error != null) {
                decision.completeExceptionally(error);
            } else if (!loop.inEventLoop()) {
                decision.completeExceptionally(new AssertionError("completed off the loop"));
            } else {
                decision.complete(result);
            }
        }));
        return decision.get(10, TimeUnit.SECONDS);
    }
}
