/**
 * The in-memory rate limiters, one per quota, deciding synchronously: the exact log with a lock per
 * identity, the O(1) algorithms packed into a striped table with a lock per stripe. A store's limiters
 * share one bound on the identities they hold, and evict by CLOCK when it is reached.
 *
 * <p>Starting points:
 * <ul>
 *   <li>{@link io.edgegateway.filters.ratelimit.local.SlidingLogLimiter}: exact, the default;</li>
 *   <li>{@link io.edgegateway.filters.ratelimit.local.SlidingWindowLimiter}: approximate, O(1) per identity;</li>
 *   <li>{@link io.edgegateway.filters.ratelimit.local.TokenBucketLimiter}: bursts up to the quota, continuous refill;</li>
 *   <li>{@link io.edgegateway.filters.ratelimit.local.LocalLimiters}: picks one for an algorithm and a quota;</li>
 *   <li>{@link io.edgegateway.filters.ratelimit.local.LocalRateLimitStore}: the filter's store when {@code store = local};</li>
 *   <li>{@link io.edgegateway.filters.ratelimit.local.IdentityBudget}: {@code max-identities}, and where room comes from.</li>
 * </ul>
 */
package io.edgegateway.filters.ratelimit.local;
