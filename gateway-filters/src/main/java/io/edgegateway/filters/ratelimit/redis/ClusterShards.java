package io.edgegateway.filters.ratelimit.redis;

import io.edgegateway.config.RedisConfig;
import io.edgegateway.filters.metrics.GatewayMetrics;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.event.ClusterTopologyChangedEvent;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.protocol.ConnectionIntent;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import reactor.core.Disposable;

/**
 * A Redis Cluster reached through its seed nodes: {@code store = redis-cluster}. Lettuce routes
 * each script by its key's slot; here each node gets its own breaker and metric label, so one
 * dead node does not open the circuit for the others' slots.
 *
 * <p>After a failover Lettuce learns the new slot map from a topology refresh (see
 * {@link FailFastClientOptions#cluster}); the promoted replica's slots then resume on it, each
 * decision waiting for the connection to that node to open first.
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
    private final Disposable topologyWatch;

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
            seedUris.add(shardUri.toLettuce(config.connectTimeout()));
            labels.add(shardUri.label());
        }
        this.threads = threads;
        for (int slot = 0; slot < threads.slots(); slot++) {
            RedisClusterClient client = threads.newClusterClient(slot, seedUris);
            client.setOptions(FailFastClientOptions.cluster(config.commandTimeout(), config.connectTimeout()));
            clients.add(new SlotClient(client));
        }
        connections = new LazyConnections<>(threads, slot -> clients.get(slot).connect());
        seeds = newShard("cluster " + String.join(",", labels), connections::current);
        // Every client sees the same cluster: one is enough to learn that a node left the primaries.
        topologyWatch = clients.get(0).client.getResources().eventBus().get()
                .ofType(ClusterTopologyChangedEvent.class)
                .subscribe(this::forgetFormerPrimaries);
    }

    /**
     * Drops the shards of nodes that are no longer primaries (a dead primary replaced by its replica,
     * or one that came back as a replica): nothing routes to them any more, and their circuit gauge
     * would otherwise stay at open for good, as if the store were still failing.
     */
    private void forgetFormerPrimaries(ClusterTopologyChangedEvent event) {
        Set<String> primaries = event.after().stream()
                .filter(node -> node.is(RedisClusterNode.NodeFlag.UPSTREAM) && !node.getSlots().isEmpty())
                .map(RedisClusterNode::getNodeId)
                .collect(Collectors.toSet());
        nodes.forEach((id, shard) -> {
            if (!primaries.contains(id) && nodes.remove(id, shard)) {
                metrics.rateLimitCircuitState.remove(shard.name());
            }
        });
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
        if (shard != null) {
            return shard;
        }
        String host = node.getUri().getHost();
        int port = node.getUri().getPort();
        return nodes.computeIfAbsent(id,
                ignored -> newShard("redis://" + host + ":" + port, () -> connectionTo(id, host, port)));
    }

    /**
     * This thread's cluster connection, once its connection to the primary {@code id} is open. With
     * {@code REJECT_COMMANDS} Lettuce rejects the commands that reach a node's connection while it
     * is still being opened, as it is on first use after a failover: the promoted replica's first
     * decisions would fail, under load enough of them at once to open its fresh breaker. Once the
     * connection is open this costs a map look-up per decision; a connection that has dropped since
     * (a dead node) is not waited for, its decisions fail as before.
     */
    private CompletableFuture<StatefulRedisClusterConnection<String, String>> connectionTo(
            String id, String host, int port) {
        CompletableFuture<StatefulRedisClusterConnection<String, String>> cluster = connections.current();
        if (!cluster.isDone() || cluster.isCompletedExceptionally()) {
            return cluster;
        }
        StatefulRedisClusterConnection<String, String> connection = cluster.join();
        ConcurrentHashMap<String, CompletableFuture<StatefulRedisConnection<String, String>>> opened =
                clients.get(threads.slotOfCurrentThread()).primaries;
        CompletableFuture<StatefulRedisConnection<String, String>> node = opened.get(id);
        if (node != null && node.isDone() && !node.isCompletedExceptionally() && node.join().isOpen()) {
            return cluster;
        }
        try {
            node = connection.getConnectionAsync(host, port, ConnectionIntent.WRITE);
        } catch (RuntimeException notInLettucesSlotMap) {
            return cluster; // the send fails, or is redirected, as Lettuce decides
        }
        opened.put(id, node);
        return node.handle((open, error) -> connection);
    }

    /** The cluster client of one slot. */
    private static final class SlotClient {

        final RedisClusterClient client;
        /** This client's connection to each primary by node id, once asked for by {@link #connectionTo}. */
        final ConcurrentHashMap<String, CompletableFuture<StatefulRedisConnection<String, String>>> primaries =
                new ConcurrentHashMap<>();
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
     * Opens the connection to every primary up front, so that the first decisions do not wait for
     * it in {@link #connectionTo}. A node that cannot be reached now is left to first use.
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

    private Shard newShard(
            String name, Supplier<CompletableFuture<StatefulRedisClusterConnection<String, String>>> connection) {
        // One call per decision: a script's keys must all be in one slot.
        return new Shard(name, connection, StatefulRedisClusterConnection::async,
                config.circuitBreaker(), metrics, System::nanoTime, null);
    }

    /** The cluster connections, each with its connections to every primary, and the script on every node. */
    @Override
    public CompletableFuture<Void> open(LimiterScript script) {
        return CompletableFuture.allOf(connections.openAll(),
                connections.first().thenCompose(connection -> connection.async().scriptLoad(script.body()))
                        .handle((sha, error) -> null));
    }

    /** The cluster as one: the heartbeats' key lives on the node that owns its slot. */
    @Override
    public Collection<Shard> heartbeatStores() {
        return List.of(seeds);
    }

    @Override
    public Collection<Shard> shards() {
        List<Shard> all = new ArrayList<>(nodes.values());
        all.add(seeds);
        return all;
    }

    @Override
    public void close() {
        topologyWatch.dispose();
        connections.close();
        clients.forEach(slot -> slot.client.shutdown(0, 2, TimeUnit.SECONDS));
        threads.close();
    }
}
