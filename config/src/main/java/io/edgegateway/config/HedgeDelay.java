package io.edgegateway.config;

import java.time.Duration;
import java.util.Objects;

/** How long a hedged request waits before its copy is sent: {@code after = 50ms} or {@code after = p95}. */
public sealed interface HedgeDelay {

    /** A fixed delay. */
    record Fixed(Duration delay) implements HedgeDelay {
        public Fixed {
            Objects.requireNonNull(delay, "delay");
        }
    }

    /**
     * A percentile of the route's live latency.
     *
     * @param quantile as a fraction: {@code p95} is 0.95, {@code p99.9} is 0.999
     */
    record Percentile(double quantile) implements HedgeDelay {
        public Percentile {
            if (!(quantile > 0 && quantile < 1)) {
                throw new IllegalArgumentException("quantile: " + quantile + " (expected: > 0 and < 1)");
            }
        }
    }
}
