package io.edgegateway.config;

import java.util.Objects;

/**
 * Send a second copy of a request when the first has not answered {@code after}; take whichever answers first.
 *
 * @param maxExtraPercent hedged requests are at most this percentage of the route's requests, in (0, 100]
 */
public record HedgeConfig(HedgeDelay after, double maxExtraPercent) {

    public static final double DEFAULT_MAX_EXTRA_PERCENT = 10;

    public HedgeConfig {
        Objects.requireNonNull(after, "after");
        if (!(maxExtraPercent > 0 && maxExtraPercent <= 100)) {
            throw new IllegalArgumentException("maxExtraPercent: " + maxExtraPercent + " (expected: > 0 and <= 100)");
        }
    }
}
