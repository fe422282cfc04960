package io.edgegateway.filters.ratelimit.redis;

import io.edgegateway.config.Algorithm;
import io.edgegateway.config.CircuitBreakerConfig;
import io.edgegateway.config.Quota;
import io.edgegateway.config.RedisConfig;
import io.edgegateway.config.StoreType;
import io.edgegateway.filters.metrics.GatewayMetrics;
import io.edgegateway.testkit.RedisServer;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Benchmark, not a test: decisions per second against one redis-server from several threads,
 * each keeping many calls in flight (Lettuce pipelines them), and the Redis CPU each costs.
 *
 * <p>Arguments (all optional): threads (default: available processors), in-flight calls per
 * thread (512), measured seconds (10), identities (100,000). Starts its own redis-server on a
 * free port; the client and Redis share the machine, so on few cores the client is the limit and
 * the Redis CPU per decision says what one shard could serve.
 */
public final class RedisLimiterThroughput {

    private static final Quota QUOTA = new Quota(100, Duration.ofSeconds(60));

    private RedisLimiterThroughput() {
    }

    public static void main(String[] args) throws Exception {
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : Runtime.getRuntime().availableProcessors();
        int inFlight = args.length > 1 ? Integer.parseInt(args[1]) : 512;
        int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 10;
        int identities = args.length > 3 ? Integer.parseInt(args[3]) : 100_000;
        System.out.printf("threads=%d in-flight/thread=%d seconds=%d identities=%d quota=%d/%ds cores=%d%n",
                threads, inFlight, seconds, identities, QUOTA.requests(), QUOTA.window().toSeconds(),
                Runtime.getRuntime().availableProcessors());
        try (RedisServer redis = RedisServer.launch()) {
            for (Algorithm algorithm : Algorithm.values()) {
                RedisConfig config = new RedisConfig(List.of(URI.create(redis.uri())), List.of(), Duration.ofSeconds(2),
                        new CircuitBreakerConfig(1_000_000, Duration.ofSeconds(1)));
                try (RedisRateLimitStore store = RedisRateLimitStore.create(
                        config, StoreType.REDIS, algorithm, new GatewayMetrics(), threads)) {
                    run(store, threads, inFlight, 3, identities);
                    redis.call("CONFIG", "RESETSTAT");
                    double cpuBefore = cpuSeconds(redis);
                    long start = System.nanoTime();
                    long decisions = run(store, threads, inFlight, seconds, identities);
                    double elapsed = (System.nanoTime() - start) / 1e9;
                    double cpu = cpuSeconds(redis) - cpuBefore;
                    String evalsha = commandStats(redis, "cmdstat_evalsha");
                    System.out.printf("%-14s %,10.0f decisions/s | redis process CPU %.2f us/decision"
                                    + " | evalsha usec_per_call=%s | keys=%s used_memory=%s%n",
                            algorithm, decisions / elapsed, cpu * 1e6 / decisions,
                            field(evalsha, "usec_per_call"), redis.call("DBSIZE"), redis.info("used_memory_human"));
                }
                redis.call("FLUSHALL");
            }
        }
    }

    private static long run(RedisRateLimitStore store, int threads, int inFlight, int seconds, int identities)
            throws InterruptedException {
        AtomicLong completed = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        long deadline = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread worker = new Thread(() -> {
                Semaphore permits = new Semaphore(inFlight);
                ThreadLocalRandom random = ThreadLocalRandom.current();
                try {
                    while (System.nanoTime() < deadline) {
                        permits.acquire();
                        store.decide("user-" + random.nextInt(identities), QUOTA).whenComplete((decision, error) -> {
                            (error == null ? completed : failed).incrementAndGet();
                            permits.release();
                        });
                    }
                    permits.acquire(inFlight);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            worker.start();
            workers.add(worker);
        }
        for (Thread worker : workers) {
            worker.join();
        }
        if (failed.get() > 0) {
            System.out.println("  failed decisions: " + failed.get());
        }
        return completed.get();
    }

    private static double cpuSeconds(RedisServer redis) {
        return Double.parseDouble(redis.info("used_cpu_user")) + Double.parseDouble(redis.info("used_cpu_sys"));
    }

    private static String commandStats(RedisServer redis, String command) {
        for (String line : String.valueOf(redis.call("INFO", "commandstats")).split("\r\n")) {
            if (line.startsWith(command + ":")) {
                return line.substring(command.length() + 1);
            }
        }
        return "";
    }

    private static String field(String stats, String name) {
        for (String pair : stats.split(",")) {
            if (pair.startsWith(name + "=")) {
                return pair.substring(name.length() + 1);
            }
        }
        return "?";
    }
}
