package io.edgegateway.filters.ratelimit.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgegateway.config.Algorithm;
import io.edgegateway.config.Quota;
import io.edgegateway.config.RedisConfig;
import io.edgegateway.config.StoreType;
import io.edgegateway.filters.metrics.GatewayMetrics;
import io.edgegateway.testkit.RedisServer;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiFunction;
import java.util.function.IntFunction;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Several stores (separate Lettuce clients) on many threads hammer a few identities on two
 * shards for a few seconds of Redis's clock, one script call per decision or in batches; an
 * independent checker then replays every identity's decisions, each stamped with the Redis tick
 * the script counted it in: whole seconds, and 100ms and 10ms ticks of finer resolutions.
 */
class RedisSlidingLogExactnessTest {

    private static final long N = 20;
    private static final long T = 2;

    /** A quota and the ticks it is judged in: {@code n} among any {@code ticks} consecutive ticks of {@code tickMillis}. */
    record Case(long n, long ticks, long tickMillis, Quota quota) {
        static Case of(long n, Duration window, Duration resolution) {
            return new Case(n, window.toMillis() / resolution.toMillis(), resolution.toMillis(),
                    new Quota(n, window, resolution));
        }

        @Override
        public String toString() {
            return n + " per " + ticks + " x " + tickMillis + "ms";
        }
    }

    /** Whole seconds and 100 ms ticks keep a ring of per-tick counts; 10 ms ticks (100 per window) a log of records. */
    static List<Case> cases() {
        return List.of(Case.of(N, Duration.ofSeconds(T), Duration.ofSeconds(1)),
                Case.of(10, Duration.ofSeconds(1), Duration.ofMillis(100)),
                Case.of(10, Duration.ofSeconds(1), Duration.ofMillis(10)));
    }

    private static final Case WHOLE_SECONDS = cases().get(0);
    private static final int STORES = 3;
    private static final int THREADS = 6;
    private static final int IDENTITIES = 24;
    private static final int IN_FLIGHT_PER_THREAD = 32;
    private static final Duration RUN_FOR = Duration.ofMillis(4_500);
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(10);

    private record Decided(String identity, long second, boolean allowed, long remaining) { }

    @ParameterizedTest
    @MethodSource("cases")
    void noWindowEverHoldsMoreThanNAndNoRequestIsDeniedWithRoomLeft(Case c) throws Exception {
        hammerAndCheck(c, (config, metrics) -> RedisRateLimitStore.create(
                config, StoreType.REDIS, Algorithm.SLIDING_LOG, metrics, 2), thread -> Runnable::run);
    }

    /**
     * The same with the stores on two event loops and every decision asked for on one of them, so
     * the decisions each loop asks of a shard while it works through its queue go out in batches.
     */
    @ParameterizedTest
    @MethodSource("cases")
    void theSameHoldsWithDecisionsBatchedOnEventLoops(Case c) throws Exception {
        EventLoopGroup loops = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
        try {
            List<EventLoop> each = new ArrayList<>();
            loops.forEach(loop -> each.add((EventLoop) loop));
            hammerAndCheck(c, (config, metrics) -> RedisRateLimitStore.create(
                    config, StoreType.REDIS, Algorithm.SLIDING_LOG, metrics, loops), thread -> each.get(thread % each.size()));
        } finally {
            loops.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    /**
     * Hammers with {@link #STORES} stores from {@link #THREADS} threads, each asking for its
     * decisions through its executor, then checks every identity's decisions.
     */
    private static void hammerAndCheck(Case c, BiFunction<RedisConfig, GatewayMetrics, RedisRateLimitStore> stores,
            IntFunction<Executor> askOn) throws Exception {
        ConcurrentLinkedQueue<Decided> decided = new ConcurrentLinkedQueue<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        long scriptCalls;
        try (RedisServer first = RedisServer.launch(); RedisServer second = RedisServer.launch()) {
            List<RedisRateLimitStore> opened = new ArrayList<>();
            try {
                for (int i = 0; i < STORES; i++) {
                    // A generous timeout: a timed-out call may still have counted, which would blur the check.
                    opened.add(stores.apply(ShardedStoreTest.config(COMMAND_TIMEOUT, first, second), new GatewayMetrics()));
                }
                long deadline = System.nanoTime() + RUN_FOR.toNanos();
                List<Thread> threads = new ArrayList<>();
                for (int t = 0; t < THREADS; t++) {
                    RedisRateLimitStore store = opened.get(t % STORES);
                    Executor executor = askOn.apply(t);
                    Thread thread = new Thread(() -> hammer(c, store, executor, deadline, decided, failure), "hammer-" + t);
                    thread.start();
                    threads.add(thread);
                }
                for (Thread thread : threads) {
                    thread.join();
                }
            } finally {
                opened.forEach(RedisRateLimitStore::close);
            }
            scriptCalls = DecisionBatchingTest.commandCalls(first, "cmdstat_evalsha")
                    + DecisionBatchingTest.commandCalls(second, "cmdstat_evalsha");
        }
        assertThat(failure.get()).isNull();

        Map<String, List<Decided>> byIdentity = decided.stream().collect(Collectors.groupingBy(Decided::identity));
        long allowed = decided.stream().filter(Decided::allowed).count();
        long seconds = decided.stream().mapToLong(Decided::second).max().orElseThrow()
                - decided.stream().mapToLong(Decided::second).min().orElseThrow() + 1;
        System.out.printf("exactness: %d decisions (%d allowed) in %d EVALSHA calls over %d ticks, %d identities%n",
                decided.size(), allowed, scriptCalls, seconds, byIdentity.size());
        assertThat(seconds).isGreaterThan(c.ticks() + 1);
        assertThat(byIdentity).hasSize(IDENTITIES);
        byIdentity.forEach((identity, list) -> check(c, identity, list));
    }

    @Test
    void theCheckerCatchesBrokenDecisions() {
        List<Decided> fine = new ArrayList<>();
        for (long k = 1; k <= N; k++) {
            fine.add(new Decided("u", 100, true, N - k));
        }
        fine.add(new Decided("u", 101, false, 0));
        check(WHOLE_SECONDS, "u", fine);

        List<Decided> tooMany = new ArrayList<>(fine);
        tooMany.add(new Decided("u", 101, true, 0));
        assertThatThrownBy(() -> check(WHOLE_SECONDS, "u", tooMany)).isInstanceOf(AssertionError.class);

        List<Decided> deniedWithRoom = new ArrayList<>(fine.subList(0, (int) N - 1));
        deniedWithRoom.add(new Decided("u", 101, false, 0));
        assertThatThrownBy(() -> check(WHOLE_SECONDS, "u", deniedWithRoom)).isInstanceOf(AssertionError.class);

        List<Decided> wrongRemaining = new ArrayList<>(fine);
        wrongRemaining.set(0, new Decided("u", 100, true, N));
        assertThatThrownBy(() -> check(WHOLE_SECONDS, "u", wrongRemaining)).isInstanceOf(AssertionError.class);
    }

    private static void hammer(Case c, RedisRateLimitStore store, Executor askOn, long deadline,
            ConcurrentLinkedQueue<Decided> decided, AtomicReference<Throwable> failure) {
        Semaphore inFlight = new Semaphore(IN_FLIGHT_PER_THREAD);
        try {
            while (System.nanoTime() < deadline && failure.get() == null) {
                inFlight.acquire();
                String identity = "user-" + ThreadLocalRandom.current().nextInt(IDENTITIES);
                askOn.execute(() -> store.decideTimed(identity, c.quota()).whenComplete((result, error) -> {
                    if (error != null) {
                        failure.compareAndSet(null, error);
                    } else {
                        decided.add(new Decided(identity, Math.floorDiv(result.millis(), c.tickMillis()), result.decision().allowed(),
                                result.decision().remaining()));
                    }
                    inFlight.release();
                }));
            }
            inFlight.acquire(IN_FLIGHT_PER_THREAD);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failure.compareAndSet(null, e);
        }
    }

    /**
     * In ticks of the case's resolution ("seconds" below): the limit holds in every window (s - T, s]; a denial at s means N were already allowed in
     * its window (denials are not counted, so nothing after it in s can have been allowed); and
     * the allowed ones of each second saw exactly the counts an exact limiter would report.
     */
    private static void check(Case c, String identity, List<Decided> decisions) {
        long N = c.n();
        long T = c.ticks();
        TreeMap<Long, List<Decided>> bySecond = decisions.stream()
                .collect(Collectors.groupingBy(Decided::second, TreeMap::new, Collectors.toList()));
        TreeMap<Long, Long> allowedAt = new TreeMap<>();
        bySecond.forEach((second, list) -> allowedAt.put(second, list.stream().filter(Decided::allowed).count()));
        for (Map.Entry<Long, List<Decided>> entry : bySecond.entrySet()) {
            long second = entry.getKey();
            long before = allowedAt.subMap(second - T + 1, true, second - 1, true).values().stream()
                    .mapToLong(Long::longValue).sum();
            long now = allowedAt.get(second);
            assertThat(before + now).as("%s: allowed in the window ending at %d", identity, second)
                    .isLessThanOrEqualTo(N);
            List<Long> remainings = new ArrayList<>();
            for (Decided decision : entry.getValue()) {
                if (decision.allowed()) {
                    remainings.add(decision.remaining());
                } else {
                    assertThat(before + now).as("%s: denied at %d with room left", identity, second).isEqualTo(N);
                }
            }
            List<Long> expected = new ArrayList<>();
            for (long k = 1; k <= now; k++) {
                expected.add(N - before - k);
            }
            assertThat(remainings).as("%s: remaining reported at %d", identity, second)
                    .containsExactlyInAnyOrderElementsOf(expected);
        }
    }
}
