package io.edgegateway.filters.ratelimit.local;

import io.edgegateway.filters.ratelimit.RateLimitDecision;

/**
 * Sees every decision of a {@link SlidingLogLimiter} while the identity's lock is held, in ticks of the quota's resolution, so the
 * calls for one identity arrive in the order the decisions were made; the exactness test
 * replays them in that order.
 */
@FunctionalInterface
interface SlidingLogObserver {

    SlidingLogObserver NONE = (key, requestedTick, countedTick, decision) -> { };

    void decided(String key, long requestedTick, long countedTick, RateLimitDecision decision);
}
