package io.edgegateway.filters.ratelimit.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.edgegateway.config.Algorithm;
import io.edgegateway.config.CircuitBreakerConfig;
import io.edgegateway.config.Quota;
import io.edgegateway.config.RedisConfig;
import io.edgegateway.config.StoreType;
import io.edgegateway.filters.metrics.GatewayMetrics;
import io.edgegateway.testkit.RedisServer;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.EventExecutor;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A shard's breaker counts calls, not decisions: a batch that times out is one failure, a
 * connection attempt many calls waited on is one failure, and half-open lets one call through
 * whichever loop asks.
 */
class BreakerCountsCallsTest {

    private static final Quota QUOTA = new Quota(1_000, Duration.ofSeconds(60));
    private static final Duration COMMAND_TIMEOUT = Duration.ofMillis(200);
    private static final int BATCH = 7;

    private EventLoopGroup loops;
    private GatewayMetrics metrics;

    @BeforeEach
    void start() {
        loops = new MultiThreadIoEventLoopGroup(4, NioIoHandler.newFactory());
        metrics = new GatewayMetrics();
    }

    @AfterEach
    void stop() {
        loops.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private RedisRateLimitStore store(String shard, int threshold, Duration openFor, Duration connectTimeout) {
        return RedisRateLimitStore.create(
                new RedisConfig(List.of(URI.create(shard)), List.of(), COMMAND_TIMEOUT, connectTimeout,
                        new CircuitBreakerConfig(threshold, openFor)),
                StoreType.REDIS, Algorithm.SLIDING_LOG, metrics, loops);
    }

    @Test
    void aBatchThatTimesOutIsOneFailure() {
        try (RedisServer redis = RedisServer.launch();
                RedisRateLimitStore store = store(redis.uri(), 2, Duration.ofSeconds(60), Duration.ofSeconds(5))) {
            store.opened().toCompletableFuture().join();
            EventLoop loop = loops.next();
            assertThat(decideAll(store, loop, "warm", 1)).containsOnly("ok");

            redis.freeze();
            try {
                assertThat(decideAll(store, loop, "first", BATCH)).containsOnly("timeout");
                assertThat(metrics.rateLimitStoreErrors.labels(redis.uri(), "timeout").get()).isEqualTo(BATCH);
                assertThat(store.circuitStateFor("first-0")).as("one failed call of " + BATCH + " decisions")
                        .isEqualTo(CircuitState.CLOSED);
                assertThat(decideAll(store, loop, "second", BATCH)).containsOnly("timeout");
                assertThat(store.circuitStateFor("second-0")).as("two failed calls").isEqualTo(CircuitState.OPEN);
            } finally {
                redis.thaw();
            }
        }
    }

    /**
     * Frozen, the shard opens its breaker; once open-for has passed, every loop asks at once, round
     * after round: exactly one call goes out (its whole batch times out) and every other decision is
     * refused as circuit_open until that probe is over.
     */
    @Test
    void halfOpenLetsOneCallThroughFromAllLoops() {
        try (RedisServer redis = RedisServer.launch();
                RedisRateLimitStore store = store(redis.uri(), 1, Duration.ofMillis(300), Duration.ofSeconds(5))) {
            store.opened().toCompletableFuture().join();
            for (EventExecutor loop : loops) {
                assertThat(decideAll(store, (EventLoop) loop, "warm-" + loop.hashCode(), 1)).containsOnly("ok");
            }
            redis.freeze();
            try {
                assertThat(decideAll(store, loops.next(), "opens", 1)).containsOnly("timeout");
                assertThat(store.circuitStateFor("opens-0")).isEqualTo(CircuitState.OPEN);

                List<List<String>> byLoop = new ArrayList<>();
                int round = 0;
                while (byLoop.stream().noneMatch(outcomes -> outcomes.contains("timeout"))) {
                    byLoop.clear();
                    List<CompletableFuture<List<String>>> asked = new ArrayList<>();
                    for (EventExecutor loop : loops) {
                        String prefix = "round-" + round + "-" + asked.size();
                        asked.add(CompletableFuture.supplyAsync(() -> decideAll(store, (EventLoop) loop, prefix, BATCH)));
                    }
                    asked.forEach(outcomes -> byLoop.add(outcomes.join()));
                    assertThat(byLoop).as("round " + round).allSatisfy(outcomes ->
                            assertThat(outcomes).allMatch(o -> o.equals("circuit_open") || o.equals("timeout")));
                    round++;
                }
                // A call is one loop's batch: only one loop's decisions went out.
                assertThat(byLoop.stream().filter(outcomes -> outcomes.contains("timeout")).count())
                        .as("loops whose decisions went out in round " + round + ": " + byLoop).isEqualTo(1);
                assertThat(store.circuitStateFor("opens-0")).as("the probe failed").isEqualTo(CircuitState.OPEN);
            } finally {
                redis.thaw();
            }
            await("a probe to close the circuit once the shard answers").atMost(Duration.ofSeconds(30))
                    .until(() -> decideAll(store, loops.next(), "after", 1).contains("ok"));
            assertThat(store.circuitStateFor("after-0")).isEqualTo(CircuitState.CLOSED);
        }
    }

    /**
     * A server that accepts connections but never answers the handshake: the calls of several loop
     * turns wait on the same connection attempt, which fails once its connect timeout passes; the
     * breaker hears of one failure, not one per call.
     */
    @Test
    void aConnectionAttemptManyCallsWaitedOnIsOneFailure() throws IOException {
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
                RedisRateLimitStore store = store("redis://127.0.0.1:" + silent.getLocalPort(), 2,
                        Duration.ofSeconds(60), Duration.ofSeconds(2))) {
            EventLoop loop = loops.next();
            List<CompletableFuture<String>> waiting = new ArrayList<>();
            for (int turn = 0; turn < 3; turn++) {
                String key = "waits-" + turn;
                waiting.add(onLoop(loop, () -> outcome(store.decide(key, QUOTA).toCompletableFuture())).join());
            }
            List<String> outcomes = waiting.stream().map(CompletableFuture::join).toList();
            assertThat(outcomes).allMatch(o -> o.equals("connection") || o.equals("timeout"));
            assertThat(store.circuitStateFor("waits-0")).as("three calls, one failed attempt").isEqualTo(CircuitState.CLOSED);
        }
    }

    /** Asks {@code count} decisions on {@code loop} in one turn (one batch); their outcomes. */
    private static List<String> decideAll(RedisRateLimitStore store, EventLoop loop, String prefix, int count) {
        List<CompletableFuture<String>> outcomes = onLoop(loop, () -> {
            List<CompletableFuture<String>> asked = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                asked.add(outcome(store.decide(prefix + "-" + i, QUOTA).toCompletableFuture()));
            }
            return asked;
        }).join();
        return outcomes.stream().map(CompletableFuture::join).toList();
    }

    /** "ok", or the error type of the failure. */
    private static CompletableFuture<String> outcome(CompletableFuture<?> decision) {
        return decision.handle((ok, error) -> error == null ? "ok"
                : StoreErrorType.unwrap(error) instanceof StoreUnavailableException e ? e.errorType() : error.toString());
    }

    private static <T> CompletableFuture<T> onLoop(EventLoop loop, Supplier<T> task) {
        CompletableFuture<T> result = new CompletableFuture<>();
        loop.execute(() -> result.complete(task.get()));
        return result;
    }
}
