package io.edgegateway.filters.ratelimit.local;

import io.edgegateway.filters.ratelimit.RateLimitDecision;

/**
 * Sees every decision of a {@link SlidingLogLimiter} while the identity's lock is held, so the
 * calls for one identity arrive in the order the decisions were made; the exactness test
 * replays them in that order.
 */
@FunctionalInterface
interface SlidingLogObserver {

    SlidingLogObserver NONE = (key, requestedSecond, countedSecond, decision) -> { };

    void decided(String key, long requestedSecond, long countedSecond, RateLimitDecision decision);
}
