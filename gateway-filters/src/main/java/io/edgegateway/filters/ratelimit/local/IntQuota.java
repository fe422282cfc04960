package io.edgegateway.filters.ratelimit.local;

import io.edgegateway.config.Quota;

/**
 * A quota as the ints the in-memory limiters count with: N requests per T seconds, both checked to
 * fit in an int.
 *
 * @param limit N, the requests allowed per window
 * @param window T, the window in seconds
 */
record IntQuota(int limit, int window) {

    static IntQuota of(Quota quota) {
        if (quota.requests() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(
                    "requests: " + quota.requests() + " (expected: <= " + Integer.MAX_VALUE + " for an in-memory limiter)");
        }
        if (quota.window().toSeconds() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(
                    "window: " + quota.window() + " (expected: <= " + Integer.MAX_VALUE + "s for an in-memory limiter)");
        }
        return new IntQuota((int) quota.requests(), (int) quota.window().toSeconds());
    }
}
