package io.edgegateway.filters.ratelimit.redis;

import com.sun.management.ThreadMXBean;
import io.edgegateway.config.Algorithm;
import io.edgegateway.config.CircuitBreakerConfig;
import io.edgegateway.config.Quota;
import io.edgegateway.config.RedisConfig;
import io.edgegateway.config.StoreType;
import io.edgegateway.filters.metrics.GatewayMetrics;
import io.edgegateway.testkit.RedisServer;
import io.edgegateway.transport.Transport;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Benchmark, not a test: what a Redis decision costs the gateway's own event loops, the store
 * asked as the gateway asks it. Two event loops of the gateway's transport, two redis-servers;
 * each loop keeps {@code in-flight} decisions going (its connections, in the gateway), asking a
 * new one as each completes, so the decisions completed by one reply are asked again in the same
 * turn and go out batched, as requests read in one wake-up do. Reports the loops' CPU time and
 * allocated bytes per decision (from the JVM's per-thread counters, so the client's own work and
 * nothing else), decisions per script call, and Redis's CPU per decision.
 *
 * <p>Arguments (all optional): in-flight decisions per loop (32), measured seconds (10), warm-up
 * seconds (10), identities (100,000). The quota is the benchmark's, never reached.
 */
public final class RedisStoreLoopCost {

    private static final Quota QUOTA = new Quota(1_000_000_000, Duration.ofSeconds(60));
    private static final int LOOPS = 2;

    private RedisStoreLoopCost() {
    }

    public static void main(String[] args) throws Exception {
        int inFlight = args.length > 0 ? Integer.parseInt(args[0]) : 32;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        int warmup = args.length > 2 ? Integer.parseInt(args[2]) : 10;
        int identities = args.length > 3 ? Integer.parseInt(args[3]) : 100_000;
        Transport transport = Transport.auto();
        System.out.printf("loops=%d (%s) in-flight/loop=%d seconds=%d warm-up=%d identities=%d%n",
                LOOPS, transport.name(), inFlight, seconds, warmup, identities);
        EventLoopGroup group = transport.newGroup(LOOPS);
        try (RedisServer first = RedisServer.launch(); RedisServer second = RedisServer.launch()) {
            RedisConfig config = new RedisConfig(List.of(URI.create(first.uri()), URI.create(second.uri())), List.of(),
                    Duration.ofSeconds(2), new CircuitBreakerConfig(1_000_000, Duration.ofSeconds(1)));
            try (RedisRateLimitStore store = RedisRateLimitStore.create(
                    config, StoreType.REDIS, Algorithm.SLIDING_LOG, new GatewayMetrics(), group)) {
                store.opened().toCompletableFuture().get(10, TimeUnit.SECONDS);
                List<EventLoop> loops = new ArrayList<>();
                group.forEach(executor -> loops.add((EventLoop) executor));
                run(store, loops, inFlight, warmup, identities);
                List<Long> threads = loopThreadIds(loops);
                ThreadMXBean bean = (ThreadMXBean) ManagementFactory.getThreadMXBean();
                first.call("CONFIG", "RESETSTAT");
                second.call("CONFIG", "RESETSTAT");
                double redisBefore = cpuSeconds(first) + cpuSeconds(second);
                long cpuBefore = cpuNanos(bean, threads);
                long bytesBefore = allocatedBytes(bean, threads);
                long decisions = run(store, loops, inFlight, seconds, identities);
                long cpu = cpuNanos(bean, threads) - cpuBefore;
                long bytes = allocatedBytes(bean, threads) - bytesBefore;
                double redis = cpuSeconds(first) + cpuSeconds(second) - redisBefore;
                long calls = calls(first) + calls(second);
                System.out.printf("%,d decisions/s | loops' CPU %.2f us/decision | allocated %.0f B/decision"
                                + " | %.2f decisions/call | Redis CPU %.2f us/decision%n",
                        decisions / seconds, cpu / 1e3 / decisions, (double) bytes / decisions,
                        (double) decisions / calls, redis * 1e6 / decisions);
            }
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    /** Keeps {@code inFlight} decisions going on each loop for {@code seconds}; returns how many completed. */
    private static long run(RedisRateLimitStore store, List<EventLoop> loops, int inFlight, int seconds, int identities)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        AtomicLong completed = new AtomicLong();
        CountDownLatch drained = new CountDownLatch(loops.size() * inFlight);
        for (EventLoop loop : loops) {
            SplittableRandom random = new SplittableRandom(loop.hashCode());
            Runnable[] ask = new Runnable[1];
            ask[0] = () -> store.decide("bench:user-" + random.nextInt(identities), QUOTA).whenComplete((decision, error) -> {
                if (error != null) {
                    throw new IllegalStateException(error);
                }
                completed.incrementAndGet();
                if (System.nanoTime() < deadline) {
                    ask[0].run();
                } else {
                    drained.countDown();
                }
            });
            loop.execute(() -> {
                for (int i = 0; i < inFlight; i++) {
                    ask[0].run();
                }
            });
        }
        if (!drained.await(seconds + 30L, TimeUnit.SECONDS)) {
            throw new IllegalStateException("decisions still in flight long after the run");
        }
        return completed.get();
    }

    private static List<Long> loopThreadIds(List<EventLoop> loops) throws Exception {
        List<Long> ids = new ArrayList<>();
        for (EventLoop loop : loops) {
            ids.add(loop.submit(() -> Thread.currentThread().getId()).get());
        }
        return ids;
    }

    private static long cpuNanos(ThreadMXBean bean, List<Long> threads) {
        long sum = 0;
        for (long id : threads) {
            sum += bean.getThreadCpuTime(id);
        }
        return sum;
    }

    private static long allocatedBytes(ThreadMXBean bean, List<Long> threads) {
        long sum = 0;
        for (long id : threads) {
            sum += bean.getThreadAllocatedBytes(id);
        }
        return sum;
    }

    private static double cpuSeconds(RedisServer redis) {
        return Double.parseDouble(redis.info("used_cpu_user")) + Double.parseDouble(redis.info("used_cpu_sys"));
    }

    private static long calls(RedisServer redis) {
        return DecisionBatchingTest.commandCalls(redis, "cmdstat_evalsha");
    }
}
