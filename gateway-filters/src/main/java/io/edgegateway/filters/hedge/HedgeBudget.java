package io.edgegateway.filters.hedge;

import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Keeps hedges under a share of a route's requests over the last ten seconds, counted in
 * one-second buckets, so an upstream that is slow for everyone cannot make the gateway double its
 * load. Not thread-safe: each event loop keeps its own, which holds the share overall too.
 */
final class HedgeBudget {

    private static final int BUCKETS = 10;
    private static final long BUCKET_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final double share;
    private final LongSupplier nanoClock;
    private final long[] requests = new long[BUCKETS];
    private final long[] hedges = new long[BUCKETS];
    private long requestsInWindow;
    private long hedgesInWindow;
    private long currentBucket;

    /** @param maxExtraPercent hedges allowed per 100 requests */
    HedgeBudget(double maxExtraPercent, LongSupplier nanoClock) {
        this.share = maxExtraPercent / 100;
        this.nanoClock = nanoClock;
        this.currentBucket = nanoClock.getAsLong() / BUCKET_NANOS;
    }

    /** Counts a request that may be hedged. */
    void onRequest() {
        advance();
        requests[(int) (currentBucket % BUCKETS)]++;
        requestsInWindow++;
    }

    /** Takes one hedge from the budget, if the share allows one more. */
    boolean tryHedge() {
        advance();
        if (hedgesInWindow + 1 > share * requestsInWindow) {
            return false;
        }
        hedges[(int) (currentBucket % BUCKETS)]++;
        hedgesInWindow++;
        return true;
    }

    /** Drops the buckets that left the window. */
    private void advance() {
        long bucket = nanoClock.getAsLong() / BUCKET_NANOS;
        if (bucket == currentBucket) {
            return;
        }
        long stale = Math.min(BUCKETS, bucket - currentBucket);
        for (long i = 1; i <= stale; i++) {
            int index = (int) ((currentBucket + i) % BUCKETS);
            requestsInWindow -= requests[index];
            hedgesInWindow -= hedges[index];
            requests[index] = 0;
            hedges[index] = 0;
        }
        currentBucket = bucket;
    }
}
