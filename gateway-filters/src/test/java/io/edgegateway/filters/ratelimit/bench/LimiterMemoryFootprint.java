package io.edgegateway.filters.ratelimit.bench;

import io.edgegateway.config.Algorithm;
import io.edgegateway.config.Quota;
import io.edgegateway.filters.ratelimit.LocalRateLimiter;
import io.edgegateway.filters.ratelimit.local.LocalLimiters;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.ref.Reference;
import java.time.Duration;
import java.util.Locale;

/**
 * Heap bytes per identity of each in-memory limiter, measured as heap used after full GCs
 * (MemoryMXBean) before and after filling a limiter with 1,000,000 identities (quota 100 per 60 s). "Light": one
 * request per identity. "Worst": a request in each of 60 distinct seconds, so a sliding log holds
 * its most entries, min(N, T) = 60. The key strings are created beforehand and kept, so the limiter
 * figure excludes them; their own cost is reported on its own line.
 *
 * <p>Not a test (surefire skips it). Arguments: [identities].
 */
public final class LimiterMemoryFootprint {

    private static final Quota QUOTA = new Quota(100, Duration.ofSeconds(60));
    private static final long START = 1_700_000_000L;

    private LimiterMemoryFootprint() {
    }

    public static void main(String[] args) {
        int identities = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        System.out.printf("identities: %,d, quota: %d per %ds, %s%n", identities, QUOTA.requests(),
                QUOTA.window().toSeconds(), Runtime.version());

        long beforeKeys = heapUsedAfterGc();
        String[] keys = new String[identities];
        for (int i = 0; i < identities; i++) {
            keys[i] = "user-" + i;
        }
        long keyBytes = heapUsedAfterGc() - beforeKeys;
        System.out.printf(Locale.ROOT, "key strings (\"user-<n>\") and their array: %.1f bytes per identity%n",
                (double) keyBytes / identities);

        for (Algorithm algorithm : Algorithm.values()) {
            for (int seconds : new int[] {1, 60}) {
                long before = heapUsedAfterGc();
                LocalRateLimiter limiter = LocalLimiters.create(algorithm, QUOTA);
                for (int second = 0; second < seconds; second++) {
                    for (String key : keys) {
                        limiter.decide(key, START + second);
                    }
                }
                long bytes = heapUsedAfterGc() - before;
                System.out.printf(Locale.ROOT, "%-14s %-5s (%2d request%s): %6.1f bytes per identity (%,d identities held)%n",
                        algorithm, seconds == 1 ? "light" : "worst", seconds, seconds == 1 ? " " : "s",
                        (double) bytes / identities, limiter.size());
                Reference.reachabilityFence(limiter);
            }
        }
        Reference.reachabilityFence(keys);
    }

    /** Heap used after full collections, once two in a row agree (the first one may not settle). */
    private static long heapUsedAfterGc() {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long previous = -1;
        for (int i = 0; i < 10; i++) {
            memory.gc();
            long used = memory.getHeapMemoryUsage().getUsed();
            if (Math.abs(used - previous) < 64 * 1024) {
                return used;
            }
            previous = used;
        }
        throw new IllegalStateException("heap usage did not settle after 10 full GCs");
    }
}
