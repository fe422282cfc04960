package io.edgegateway.filters.ratelimit.redis;

import io.edgegateway.config.RedisConfig;
import io.edgegateway.filters.metrics.GatewayMetrics;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.StringCodec;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Independent Redis servers (or Sentinel-watched primaries), each identity on one of them by
 * consistent hashing: {@code store = redis}. The decisions an event loop asks of a shard in one
 * turn go out as one script call (see {@link DecisionBatcher}).
 */
final class HashedShards implements ShardRouter {

    private final ClientThreads threads;
    private final List<RedisClient> clients = new ArrayList<>();
    private final ConsistentHashRing<Shard> ring;
    private final List<LazyConnections<StatefulRedisConnection<String, String>>> connections = new ArrayList<>();

    /** @param threads where connections run; closed with this */
    HashedShards(RedisConfig config, GatewayMetrics metrics, ClientThreads threads) {
        if (config.shards().isEmpty()) {
            throw new IllegalArgumentException("redis.shards: [] (expected: at least one shard for store = redis)");
        }
        this.threads = threads;
        for (int slot = 0; slot < threads.slots(); slot++) {
            RedisClient client = threads.newClient(slot);
            client.setOptions(FailFastClientOptions.standalone(config.commandTimeout(), config.connectTimeout()));
            clients.add(client);
        }
        List<Shard> shards = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (URI uri : config.shards()) {
            ShardUri shardUri = new ShardUri(uri);
            if (!names.add(shardUri.label())) {
                throw new IllegalArgumentException("redis.shards: " + uri + " is listed twice");
            }
            RedisURI redisUri = shardUri.toLettuce(config.connectTimeout());
            LazyConnections<StatefulRedisConnection<String, String>> pool = new LazyConnections<>(
                    threads, slot -> clients.get(slot).connectAsync(StringCodec.UTF8, redisUri));
            connections.add(pool);
            shards.add(new Shard(shardUri.label(), pool::current, StatefulRedisConnection::async,
                    config.circuitBreaker(), metrics, System::nanoTime, threads));
        }
        ring = new ConsistentHashRing<>(shards, Shard::name);
    }

    @Override
    public Shard shardFor(String redisKey) {
        return ring.shardFor(redisKey);
    }

    @Override
    public CompletableFuture<Void> open(LimiterScript script) {
        List<CompletableFuture<?>> opening = new ArrayList<>();
        for (LazyConnections<StatefulRedisConnection<String, String>> pool : connections) {
            opening.add(pool.openAll());
            opening.add(pool.first().thenCompose(connection -> connection.async().scriptLoad(script.body()))
                    .handle((sha, error) -> null));
        }
        return CompletableFuture.allOf(opening.toArray(CompletableFuture[]::new));
    }

    @Override
    public Collection<Shard> heartbeatStores() {
        return ring.shards();
    }

    @Override
    public Collection<Shard> shards() {
        return ring.shards();
    }

    @Override
    public void close() {
        connections.forEach(LazyConnections::close);
        clients.forEach(client -> client.shutdown(0, 2, TimeUnit.SECONDS));
        threads.close();
    }
}
