package io.edgegateway.filters.ratelimit.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgegateway.config.Algorithm;
import io.edgegateway.config.CircuitBreakerConfig;
import io.edgegateway.config.Quota;
import io.edgegateway.config.RedisConfig;
import io.edgegateway.config.StoreType;
import io.edgegateway.filters.metrics.GatewayMetrics;
import io.edgegateway.filters.ratelimit.LocalRateLimiter;
import io.edgegateway.filters.ratelimit.RateLimitDecision;
import io.edgegateway.filters.ratelimit.local.LocalLimiters;
import io.edgegateway.testkit.RedisServer;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.EventExecutor;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Decisions asked for on an event loop in one go (as the requests read in one wake-up are) go to
 * each shard as one script call per batch, and decide exactly as one call each would. Each test
 * asks its decisions from inside one task on the loop, so the test itself forms the batches: the
 * batcher then guarantees one call per shard per second (and per {@link DecisionBatcher#MAX_BATCH}
 * keys), whatever else the loop does.
 */
class DecisionBatchingTest {

    private static final long T0 = 1_700_000_000L;
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(5);

    private static RedisServer first;
    private static RedisServer second;
    private static EventLoopGroup loops;
    private static EventLoop loop;
    private static RedisRateLimitStore store;

    @BeforeAll
    static void start() {
        first = RedisServer.launch();
        second = RedisServer.launch();
        loops = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
        loop = loops.next();
        store = RedisRateLimitStore.create(ShardedStoreTest.config(COMMAND_TIMEOUT, first, second), StoreType.REDIS,
                Algorithm.SLIDING_LOG, new GatewayMetrics(), loops);
        store.opened().toCompletableFuture().join();
        // Every loop's connection to each shard open: the store's own SCRIPT LOAD, sent as soon as
        // one of them opens, has then gone out (or never will) and cannot land in the middle of a test.
        Quota quota = new Quota(100, Duration.ofSeconds(60));
        for (EventExecutor each : loops) {
            for (RedisServer shard : List.of(first, second)) {
                String identity = identitiesOn(store, shard.uri(), 1, "warm-").get(0);
                each.submit(() -> store.decideAt(identity, quota, T0).toCompletableFuture()).syncUninterruptibly()
                        .getNow().join();
            }
        }
    }

    @AfterAll
    static void stop() {
        store.close();
        loops.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        first.close();
        second.close();
    }

    /**
     * Ten seconds of traffic over 12 identities (so many repeat within a batch), all asked for in
     * one loop task, in far fewer script calls than decisions: each decision is the one a call of
     * its own makes (the same traffic asked from outside the loops, one call at a time, under other
     * identities), and allows and counts as the in-memory sliding log does. Each shard gets exactly
     * one call per second it has decisions at, per {@link DecisionBatcher#MAX_BATCH} of them.
     */
    @Test
    void aLoopsDecisionsShareCallsAndDecideAsTheInMemoryLog() {
        Quota quota = new Quota(7, Duration.ofSeconds(4));
        LocalRateLimiter reference = LocalLimiters.create(Algorithm.SLIDING_LOG, quota);
        List<String> identities = new ArrayList<>();
        List<Long> seconds = new ArrayList<>();
        Random random = new Random(11);
        for (int i = 0; i < 1_200; i++) {
            identities.add("shared-" + random.nextInt(12));
            seconds.add(T0 + i / 120);
        }
        scriptCachedAndStatsReset();

        List<CompletableFuture<TimedDecision>> decisions = onLoop(() -> {
            List<CompletableFuture<TimedDecision>> asked = new ArrayList<>();
            for (int i = 0; i < identities.size(); i++) {
                asked.add(store.decideAt(identities.get(i), quota, seconds.get(i)).toCompletableFuture());
            }
            return asked;
        });

        decisions.forEach(CompletableFuture::join);
        Map<String, Long> calls = evalshaCalls();
        assertThat(commandCalls(first, "cmdstat_eval") + commandCalls(second, "cmdstat_eval")).isZero();
        for (int i = 0; i < identities.size(); i++) {
            TimedDecision decided = decisions.get(i).join();
            TimedDecision alone = store.decideAt("alone-" + identities.get(i), quota, seconds.get(i))
                    .toCompletableFuture().join();
            assertThat(decided).as("decision %d", i).isEqualTo(alone);
            RateLimitDecision expected = reference.decide(identities.get(i), seconds.get(i));
            assertThat(decided.decision().allowed()).as("decision %d", i).isEqualTo(expected.allowed());
            assertThat(decided.decision().remaining()).as("decision %d", i).isEqualTo(expected.remaining());
            assertThat(decided.second()).isEqualTo(seconds.get(i));
        }
        System.out.printf("batching: %d decisions in %s script calls%n", identities.size(), calls);
        Map<String, Long> expected = new HashMap<>();
        for (int second = 0; second < 10; second++) {
            callsAtOneSecond(identities.subList(second * 120, (second + 1) * 120))
                    .forEach((shard, count) -> expected.merge(shard, count, Long::sum));
        }
        assertThat(calls).isEqualTo(expected);
    }

    /** Decisions on Redis's clock share one call per shard (per MAX_BATCH), and each is counted. */
    @Test
    void aBatchOnRedisClockCountsEveryDecision() {
        Quota quota = new Quota(1_000, Duration.ofSeconds(60));
        List<String> identities = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            identities.add("clocked-" + i % 10);
        }
        scriptCachedAndStatsReset();

        List<CompletableFuture<TimedDecision>> decisions = onLoop(() -> {
            List<CompletableFuture<TimedDecision>> asked = new ArrayList<>();
            for (String identity : identities) {
                asked.add(store.decideTimed(identity, quota).toCompletableFuture());
            }
            return asked;
        });

        decisions.forEach(CompletableFuture::join);
        assertThat(evalshaCalls()).isEqualTo(callsAtOneSecond(identities));
        assertThat(commandCalls(first, "cmdstat_eval") + commandCalls(second, "cmdstat_eval")).isZero();
        for (int i = 0; i < 300; i++) {
            assertThat(decisions.get(i).join().decision().remaining()).as("decision %d", i).isEqualTo(999 - i / 10);
        }
    }

    /**
     * After SCRIPT FLUSH, a call meets NOSCRIPT and is sent again whole as one EVAL, which caches
     * the script again: every decision is answered as if nothing had happened, with at most one EVAL
     * per call (never one per decision).
     */
    @Test
    void aBatchAfterScriptFlushIsEvaluatedOnceAndTheScriptCachedAgain() {
        Quota quota = new Quota(3, Duration.ofSeconds(60));
        List<String> identities = new ArrayList<>(identitiesOn(store, first.uri(), 5, "flushed-"));
        identities.addAll(identitiesOn(store, second.uri(), 5, "flushed-"));
        for (RedisServer shard : List.of(first, second)) {
            shard.call("SCRIPT", "FLUSH");
            assertThat(shard.call("SCRIPT", "EXISTS", LimiterScript.SLIDING_LOG.sha1())).isEqualTo(List.of(0L));
        }
        resetStats();

        List<CompletableFuture<TimedDecision>> decisions = onLoop(() -> {
            List<CompletableFuture<TimedDecision>> asked = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                asked.add(store.decideAt(identities.get(i % 10), quota, T0).toCompletableFuture());
            }
            return asked;
        });

        for (int i = 0; i < 40; i++) {
            TimedDecision decided = decisions.get(i).join();
            assertThat(decided.decision().allowed()).as("decision %d", i).isEqualTo(i < 30);
            assertThat(decided.decision().remaining()).as("decision %d", i).isEqualTo(Math.max(0, 2 - i / 10));
        }
        for (RedisServer shard : List.of(first, second)) {
            long evalsha = commandCalls(shard, "cmdstat_evalsha");
            // 20 decisions on each shard: batched, though how many calls they took is the loop's business.
            assertThat(evalsha).as("calls to %s", shard.uri()).isBetween(1L, 19L);
            assertThat(commandCalls(shard, "cmdstat_eval")).as("reloads on %s", shard.uri()).isBetween(1L, evalsha);
            assertThat(shard.call("SCRIPT", "EXISTS", LimiterScript.SLIDING_LOG.sha1())).isEqualTo(List.of(1L));
        }
    }

    /**
     * A shard killed under a batch: every decision in it fails, but the breaker hears of one failed
     * call (a batch of as many decisions as the threshold leaves it closed; as many failed calls
     * open it), while the other shard's decisions asked in the same go are made.
     */
    @Test
    void aFailedBatchFailsEachOfItsDecisionsAndCountsOnceAgainstTheBreaker() {
        int threshold = 6;
        GatewayMetrics metrics = new GatewayMetrics();
        Quota quota = new Quota(100, Duration.ofSeconds(60));
        try (RedisServer healthy = RedisServer.launch();
                RedisServer doomed = RedisServer.launch();
                RedisRateLimitStore failing = RedisRateLimitStore.create(
                        new RedisConfig(List.of(URI.create(healthy.uri()), URI.create(doomed.uri())), List.of(),
                                COMMAND_TIMEOUT, new CircuitBreakerConfig(threshold, Duration.ofSeconds(60))),
                        StoreType.REDIS, Algorithm.SLIDING_LOG, metrics, loops)) {
            List<String> onDoomed = identitiesOn(failing, doomed.uri(), threshold);
            List<String> onHealthy = identitiesOn(failing, healthy.uri(), threshold);
            // Both connections open before the kill.
            onLoop(() -> failing.decide(onDoomed.get(0), quota).toCompletableFuture()).join();
            onLoop(() -> failing.decide(onHealthy.get(0), quota).toCompletableFuture()).join();

            doomed.kill();
            List<CompletableFuture<?>> doomedDecisions = new ArrayList<>();
            List<CompletableFuture<?>> healthyDecisions = new ArrayList<>();
            onLoop(() -> {
                for (int i = 0; i < threshold; i++) {
                    doomedDecisions.add(failing.decide(onDoomed.get(i), quota).toCompletableFuture());
                    healthyDecisions.add(failing.decide(onHealthy.get(i), quota).toCompletableFuture());
                }
                return null;
            });

            for (CompletableFuture<?> decision : doomedDecisions) {
                assertThatThrownBy(decision::join).isInstanceOf(CompletionException.class)
                        .hasCauseInstanceOf(StoreUnavailableException.class);
            }
            healthyDecisions.forEach(CompletableFuture::join);
            double failures = 0;
            for (StoreErrorType type : StoreErrorType.values()) {
                failures += metrics.rateLimitStoreErrors.labels(doomed.uri(), type.label()).get();
            }
            assertThat(failures).as("errors counted, one per decision").isEqualTo(threshold);
            assertThat(failing.circuitStateFor(onDoomed.get(0))).as("after one failed call").isEqualTo(CircuitState.CLOSED);
            assertThat(failing.circuitStateFor(onHealthy.get(0))).isEqualTo(CircuitState.CLOSED);
            double[] durations = metrics.rateLimitStoreDuration.labels(doomed.uri()).get().buckets;
            assertThat(durations[durations.length - 1]).as("durations observed, one per decision").isEqualTo(1 + threshold);

            // Each further call (one decision per loop turn) is one more failure: the threshold-th opens it.
            for (int call = 2; call <= threshold; call++) {
                assertThat(failing.circuitStateFor(onDoomed.get(0))).as("before failed call " + call).isEqualTo(CircuitState.CLOSED);
                CompletableFuture<?> alone = onLoop(() -> failing.decide(onDoomed.get(0), quota).toCompletableFuture());
                assertThatThrownBy(alone::join).hasCauseInstanceOf(StoreUnavailableException.class);
            }
            assertThat(failing.circuitStateFor(onDoomed.get(0))).isEqualTo(CircuitState.OPEN);
        }
    }

    private static List<String> identitiesOn(RedisRateLimitStore on, String shard, int count) {
        return identitiesOn(on, shard, count, "placed-");
    }

    /** The first {@code count} identities {@code prefix}0, {@code prefix}1, ... that live on {@code shard}. */
    private static List<String> identitiesOn(RedisRateLimitStore on, String shard, int count, String prefix) {
        List<String> found = new ArrayList<>();
        for (int i = 0; found.size() < count; i++) {
            if (on.shardFor(prefix + i).equals(shard)) {
                found.add(prefix + i);
            }
        }
        return found;
    }

    private static <T> T onLoop(Supplier<T> task) {
        try {
            return loop.submit(task::get).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static void resetStats() {
        first.call("CONFIG", "RESETSTAT");
        second.call("CONFIG", "RESETSTAT");
    }

    /** The script on both shards whatever an earlier test left, so each call is one EVALSHA. */
    private static void scriptCachedAndStatsReset() {
        for (RedisServer shard : List.of(first, second)) {
            shard.call("SCRIPT", "LOAD", LimiterScript.SLIDING_LOG.body());
        }
        resetStats();
    }

    /** EVALSHA calls by shard label, shards without any left out. */
    private static Map<String, Long> evalshaCalls() {
        Map<String, Long> calls = new HashMap<>();
        for (RedisServer shard : List.of(first, second)) {
            long count = commandCalls(shard, "cmdstat_evalsha");
            if (count > 0) {
                calls.put(shard.uri(), count);
            }
        }
        return calls;
    }

    /**
     * The script calls by shard label that decisions for {@code identities}, asked at one second in
     * one loop task, take: each shard's go as one call per {@link DecisionBatcher#MAX_BATCH} of them.
     */
    private static Map<String, Long> callsAtOneSecond(List<String> identities) {
        Map<String, Long> calls = new HashMap<>();
        for (String identity : identities) {
            calls.merge(store.shardFor(identity), 1L, Long::sum);
        }
        calls.replaceAll((shard, decisions) -> (decisions + DecisionBatcher.MAX_BATCH - 1) / DecisionBatcher.MAX_BATCH);
        return calls;
    }

    /** {@code calls} of one command in {@code INFO commandstats}, 0 when it has none. */
    static long commandCalls(RedisServer shard, String command) {
        for (String line : String.valueOf(shard.call("INFO", "commandstats")).split("\r\n")) {
            if (line.startsWith(command + ":calls=")) {
                return Long.parseLong(line.substring(command.length() + ":calls=".length(), line.indexOf(',')));
            }
        }
        return 0;
    }
}
