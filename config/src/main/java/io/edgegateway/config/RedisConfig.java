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
 * @param connectTimeout bounds opening a connection, its handshake included, whether new or
 *     re-established; commands are bounded by {@code commandTimeout} once it is open
 */
public record RedisConfig(
        List<URI> shards, List<URI> cluster, Duration commandTimeout, Duration connectTimeout,
        CircuitBreakerConfig circuitBreaker) {

    /** {@code rate-limit.redis.connect-timeout} in reference.conf. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(1);

    public RedisConfig {
        shards = List.copyOf(shards);
        cluster = List.copyOf(cluster);
        Objects.requireNonNull(commandTimeout, "commandTimeout");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(circuitBreaker, "circuitBreaker");
    }

    /** With the default connect timeout. */
    public RedisConfig(List<URI> shards, List<URI> cluster, Duration commandTimeout, CircuitBreakerConfig circuitBreaker) {
        this(shards, cluster, commandTimeout, DEFAULT_CONNECT_TIMEOUT, circuitBreaker);
    }
}
