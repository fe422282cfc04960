package io.edgegateway.config;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A route's {@code retries}: on which failures another instance is tried, and how often. Whether a
 * given request may be sent again (its method, whether its body went out) is the caller's decision.
 *
 * @param attempts every try, the first included, in 1..10; 1 is no retry
 * @param on the failures, other than status codes, worth another try
 * @param statuses the response status codes (500..599) worth another try
 * @param perTryTimeout how long one try may wait for its response head; absent, only the route's
 *     response timeout applies
 * @param budgetPercent retries are at most this percentage of the route's requests, in [0, 100]
 *     ({@link #OFF} has 0; a configured one is > 0)
 */
public record RetryPolicy(
        int attempts, Set<RetryCondition> on, Set<Integer> statuses, Optional<Duration> perTryTimeout, double budgetPercent) {

    public static final int MAX_ATTEMPTS = 10;
    public static final double DEFAULT_BUDGET_PERCENT = 20;

    /** {@code retries = off}: one try, nothing retried. */
    public static final RetryPolicy OFF = new RetryPolicy(1, Set.of(), Set.of(), Optional.empty(), 0);

    /**
     * What a {@code retries} object takes for keys it leaves out when there is nothing to inherit
     * ({@code route-defaults.retries = off}); the same as reference.conf's route default: a refused
     * connection goes to the next instance, nothing is sent twice.
     */
    public static final RetryPolicy DEFAULT = new RetryPolicy(
            2, Set.of(RetryCondition.CONNECT_FAILURE), Set.of(), Optional.empty(), DEFAULT_BUDGET_PERCENT);

    public RetryPolicy {
        if (attempts < 1 || attempts > MAX_ATTEMPTS) {
            throw new IllegalArgumentException("attempts: " + attempts + " (expected: 1.." + MAX_ATTEMPTS + ")");
        }
        on = Set.copyOf(on);
        statuses = Set.copyOf(statuses);
        for (int status : statuses) {
            if (status < 500 || status > 599) {
                throw new IllegalArgumentException("statuses: " + status + " (expected: 500..599)");
            }
        }
        Objects.requireNonNull(perTryTimeout, "perTryTimeout");
        if (!(budgetPercent >= 0 && budgetPercent <= 100)) {
            throw new IllegalArgumentException("budgetPercent: " + budgetPercent + " (expected: >= 0 and <= 100)");
        }
    }

    /** More than one try, and {@code condition} is one of {@link #on}. */
    public boolean retriesOn(RetryCondition condition) {
        return attempts > 1 && on.contains(condition);
    }

    /**
     * More than one try, and {@code status} is one of {@link #statuses}. Asked of every response:
     * statuses outside 500..599 never box an {@code Integer} (200 is past the JDK's small-value cache).
     */
    public boolean retriesOnStatus(int status) {
        return attempts > 1 && status >= 500 && status <= 599 && statuses.contains(status);
    }
}
