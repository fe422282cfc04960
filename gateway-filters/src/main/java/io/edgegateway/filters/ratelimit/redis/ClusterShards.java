package io.edgegateway.filters.ratelimit.redis;

import io.edgegateway.config.RedisConfig;
import io.edgegateway.filters.metrics.GatewayMetrics;
import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.protocol.ConnectionIntent;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A Redis Cluster reached through its seed nodes: {@code store = redis-cluster}. Lettuce routes
 * each script by its key's slot; here each node gets its own breaker and metric label, so one
 * dead node does not open the circuit for the others' slots.
 */
final class ClusterShards implements ShardRouter {

    private final ClientThreads threads;
    private final List<SlotClient> clients = new ArrayList<>();
    private final LazyConnections<StatefulRedisClusterConnection<String, String>> connections;
    private final RedisConfig config;
    private final GatewayMetrics metrics;
    /** Used until the slot map is known (no connection yet). */
    private final Shard seeds;
    private final ConcurrentHashMap<String, Shard> nodes = new ConcurrentHashMap<>();

    /** @param threads where connections run; closed with this */
    ClusterShards(RedisConfig config, GatewayMetrics metrics, ClientThreads threads) {
        if (config.cluster().isEmpty()) {
            throw new IllegalArgumentException("redis.cluster: [] (expected: seed nodes for store = redis-cluster)");
        }
        this.config = config;
        this.metrics = metrics;
        List<RedisURI> seedUris = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        for (URI uri : config.cluster()) {
            ShardUri shardUri = new ShardUri(uri);
            if (ShardUri.SENTINEL_SCHEME.equals(uri.getScheme())) {
                throw new IllegalArgumentException("redis.cluster: " + uri + " (expected: redis:// or rediss://)");
            }
            seedUris.add(shardUri.toLettuce(config.commandTimeout()));
            labels.add(shardUri.label());
        }
        this.threads = threads;
        for (int slot = 0; slot < threads.slots(); slot++) {
            RedisClusterClient client = RedisClusterClient.create(threads.resources(slot), seedUris);
            client.setOptions(FailFastClientOptions.cluster(config.commandTimeout()));
            clients.add(new SlotClient(client));
        }
        connections = new LazyConnections<>(threads, slot -> clients.get(slot).connect());
        seeds = newShard("cluster " + String.join(",", labels));
    }

    @Override
    public Shard shardFor(String redisKey) {
        StatefulRedisClusterConnection<String, String> connection = connections.currentIfOpen();
        if (connection == null) {
            return seeds;
        }
        RedisClusterNode node = connection.getPartitions().getMasterBySlot(SlotHash.getSlot(redisKey));
        if (node == null || node.getUri() == null) {
            return seeds;
        }
        String id = node.getNodeId();
        Shard shard = nodes.get(id);
        return shard != null ? shard : nodes.computeIfAbsent(id,
                ignored -> newShard("redis://" + node.getUri().getHost() + ":" + node.getUri().getPort()));
    }

    /** The cluster client of one slot. */
    private static final class SlotClient {

        final RedisClusterClient client;
        private CompletableFuture<?> previousConnect = CompletableFuture.completedFuture(null);
        private volatile boolean slotMapLoaded;

        SlotClient(RedisClusterClient client) {
            this.client = client;
        }

        /**
         * Opens one more connection once the previous attempt is over, loading the slot map first if
         * no attempt has yet: Lettuce's asynchronous connect needs it loaded, and concurrent loads race.
         */
        synchronized CompletionStage<StatefulRedisClusterConnection<String, String>> connect() {
            CompletableFuture<StatefulRedisClusterConnection<String, String>> next = previousConnect
                    .handle((ignored, error) -> null)
                    .thenCompose(ignored -> slotMapLoaded ? CompletableFuture.completedFuture(null)
                            : client.refreshPartitionsAsync().thenRun(() -> slotMapLoaded = true))
                    .thenCompose(ignored -> client.connectAsync(StringCodec.UTF8))
                    .thenCompose(ClusterShards::openNodeConnections);
            previousConnect = next;
            return next;
        }
    }

    /**
     * Opens the connection to every primary up front: with {@code REJECT_COMMANDS} Lettuce rejects
     * a command whose node connection is still being opened, so opening on first use would fail
     * the first decisions of every node. A node that cannot be reached now is left to first use.
     */
    private static CompletionStage<StatefulRedisClusterConnection<String, String>> openNodeConnections(
            StatefulRedisClusterConnection<String, String> connection) {
        List<CompletableFuture<?>> opening = new ArrayList<>();
        for (RedisClusterNode node : connection.getPartitions()) {
            if (node.is(RedisClusterNode.NodeFlag.UPSTREAM)) {
                opening.add(connection.getConnectionAsync(
                        node.getUri().getHost(), node.getUri().getPort(), ConnectionIntent.WRITE));
            }
        }
        return CompletableFuture.allOf(opening.toArray(CompletableFuture[]::new)).handle((ignored, error) -> connection);
    }

    private Shard newShard(String name) {
        return new Shard(name, connections, StatefulRedisClusterConnection::async,
                config.circuitBreaker(), metrics, System::nanoTime);
    }

    @Override
    public Collection<Shard> shards() {
        List<Shard> all = new ArrayList<>(nodes.values());
        all.add(seeds);
        return all;
    }

    @Override
    public void close() {
        connections.close();
        clients.forEach(slot -> slot.client.shutdown(0, 2, TimeUnit.SECONDS));
        threads.close();
    }
}
