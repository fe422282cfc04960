package io.edgegateway.filters.ratelimit.bench;

import io.edgegateway.config.Algorithm;
import io.edgegateway.config.Quota;
import io.edgegateway.filters.ratelimit.LocalRateLimiter;
import io.edgegateway.filters.ratelimit.RateLimitDecision;
import io.edgegateway.filters.ratelimit.local.LocalLimiters;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.infra.ThreadParams;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Decisions per second of the in-memory limiters: 100,000 identities picked at random, quota
 * 100 per 60 s, each identity asked about 2 times a simulated second (a little over its 1.67), so
 * most requests are allowed and some denied. The simulated clock is the count of decisions made
 * by all threads together, which each thread adds to once every 1,024 of its decisions.
 *
 * <p>Not a test (surefire skips it); run it with {@link #main}, which takes JMH's options.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class LocalLimiterBenchmark {

    static final int IDENTITIES = 100_000;
    static final Quota QUOTA = new Quota(100, Duration.ofSeconds(60));
    /** Decisions per simulated second over all threads: about 2 per identity. */
    static final int DECISIONS_PER_SECOND = 2 * IDENTITIES;
    static final int CLOCK_BATCH = 1_024;
    static final long START = 1_700_000_000L;

    @Param({"SLIDING_LOG", "SLIDING_WINDOW", "TOKEN_BUCKET"})
    public Algorithm algorithm;

    LocalRateLimiter limiter;
    String[] keys;
    final AtomicLong decisions = new AtomicLong();

    @Setup
    public void setUp() {
        limiter = LocalLimiters.create(algorithm, QUOTA);
        keys = new String[IDENTITIES];
        for (int i = 0; i < IDENTITIES; i++) {
            keys[i] = "user-" + i;
        }
    }

    /** One thread's random identities and its view of the simulated clock. */
    @State(Scope.Thread)
    public static class Caller {
        SplittableRandom random;
        int uncounted;
        long second = START;

        @Setup
        public void setUp(ThreadParams thread) {
            random = new SplittableRandom(thread.getThreadIndex());
        }

        long nextSecond(AtomicLong decisions) {
            if (++uncounted == CLOCK_BATCH) {
                second = START + decisions.addAndGet(CLOCK_BATCH) / DECISIONS_PER_SECOND;
                uncounted = 0;
            }
            return second;
        }
    }

    @Benchmark
    @Threads(1)
    public RateLimitDecision oneThread(Caller caller) {
        return decide(caller);
    }

    @Benchmark
    @Threads(2)
    public RateLimitDecision twoThreads(Caller caller) {
        return decide(caller);
    }

    private RateLimitDecision decide(Caller caller) {
        return limiter.decide(keys[caller.random.nextInt(IDENTITIES)], caller.nextSecond(decisions));
    }

    /** Runs this benchmark; the arguments are JMH's, e.g. {@code -f 1 -wi 2 -i 3 -r 2s}. */
    public static void main(String[] args) throws Exception {
        new Runner(new OptionsBuilder()
                .parent(new CommandLineOptions(args))
                .include(LocalLimiterBenchmark.class.getName())
                .build())
                .run();
    }
}
