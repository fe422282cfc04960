package io.edgegateway.config;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * {@code gateway.rate-limit.redis}.
 *
 * @param shards {@code redis://}, {@code rediss://} or {@code redis-sentinel://host:port/mastername} URIs
 * @param cluster seed nodes of a Redis Cluster ({@code redis://} or {@code rediss://})
 */
public record RedisConfig(List<URI> shards, List<URI> cluster, Duration commandTimeout, CircuitBreakerConfig circuitBreaker) {

    public RedisConfig {
        shards = List.copyOf(shards);
        cluster = List.copyOf(cluster);
        Objects.requireNonNull(commandTimeout, "commandTimeout");
        Objects.requireNonNull(circuitBreaker, "circuitBreaker");
    }
}
