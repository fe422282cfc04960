/**
 * Rate-limit decisions in Redis: atomic Lua script calls, sharded by consistent hashing (or a Redis
 * Cluster), each shard behind a circuit breaker; with consistent hashing, the decisions an event
 * loop asks of a shard in one turn go out as one call.
 *
 * <p>Starting points:
 * <ul>
 *   <li>{@link io.edgegateway.filters.ratelimit.redis.RedisRateLimitStore}: the store the filter calls</li>
 *   <li>{@link io.edgegateway.filters.ratelimit.redis.LimiterScript}: the scripts
 *       ({@code sliding_log.lua} with {@code tick_ring.lua} for short spans, {@code sliding_window.lua},
 *       {@code token_bucket.lua}, each followed by the driver {@code decide_each.lua}, beside this package)</li>
 *   <li>{@link io.edgegateway.filters.ratelimit.redis.ConsistentHashRing}: which shard holds an identity</li>
 *   <li>{@link io.edgegateway.filters.ratelimit.redis.DecisionBatcher}: how a loop's decisions share a call,
 *       and {@link io.edgegateway.filters.ratelimit.redis.DecisionBatch}: the call itself</li>
 *   <li>{@link io.edgegateway.filters.ratelimit.redis.CircuitBreaker}: how a dead shard fails fast</li>
 * </ul>
 */
package io.edgegateway.filters.ratelimit.redis;
