package io.edgegateway.filters.ratelimit.local;

import io.edgegateway.config.Quota;

/**
 * A quota as a {@link SlidingLog} counts it, in ticks of the resolution: at most
 * {@code windowLimit} allowed in any {@code windowTicks}, and at most {@code spanLimit} in any
 * {@code spanTicks}. Without a burst both are N per T; with burst b they are floor(b×N) per T and
 * ceil(b)×N per ceil(b)×T, so a burst is paid back within ceil(b) windows and the sustained rate
 * stays N per T.
 *
 * @param requests N, as decisions report it
 * @param maxEntries the most (tick, count) entries a log can need: min(spanLimit, spanTicks)
 */
record LogWindows(int requests, int windowLimit, int windowTicks, int spanLimit, int spanTicks,
        long resolutionMillis, int maxEntries) {

    static LogWindows of(Quota quota) {
        IntQuota checked = IntQuota.of(quota);
        long ticks = quota.windowTicks();
        int windows = quota.burstWindows();
        long spanLimit = (long) windows * checked.limit();
        long spanTicks = windows * ticks;
        if (spanLimit > Integer.MAX_VALUE || spanTicks > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("quota " + quota + " (expected: burst × requests and burst × window"
                    + " / resolution <= " + Integer.MAX_VALUE + " for an in-memory limiter)");
        }
        return new LogWindows(checked.limit(), (int) quota.burstLimit(), (int) ticks, (int) spanLimit, (int) spanTicks,
                quota.resolution().toMillis(), (int) Math.min(spanLimit, spanTicks));
    }

    /** The tick that holds {@code nowMillis}. */
    long tickOf(long nowMillis) {
        return Math.floorDiv(nowMillis, resolutionMillis);
    }
}
