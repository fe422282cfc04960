/**
 * Rate-limit decisions in Redis: one atomic Lua script call per request, sharded by consistent
 * hashing (or a Redis Cluster), each shard behind a circuit breaker.
 *
 * <p>Starting points:
 * <ul>
 *   <li>{@link io.edgegateway.filters.ratelimit.redis.RedisRateLimitStore}: the store the filter calls</li>
 *   <li>{@link io.edgegateway.filters.ratelimit.redis.LimiterScript}: the scripts
 *       ({@code sliding_log.lua}, {@code sliding_window.lua}, {@code token_bucket.lua} beside this package)</li>
 *   <li>{@link io.edgegateway.filters.ratelimit.redis.ConsistentHashRing}: which shard holds an identity</li>
 *   <li>{@link io.edgegateway.filters.ratelimit.redis.CircuitBreaker}: how a dead shard fails fast</li>
 * </ul>
 */
package io.edgegateway.filters.ratelimit.redis;
