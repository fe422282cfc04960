package io.edgegateway.filters.ratelimit.redis;

import io.edgegateway.transport.IoUringCloseGuard;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import io.lettuce.core.resource.NettyCustomizer;
import io.netty.channel.Channel;
import io.netty.handler.flush.FlushConsolidationHandler;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Lettuce settings that keep a sick shard from slowing requests down: every command times out
 * after the command timeout, a disconnected connection rejects commands at once instead of
 * queueing them, the queue is bounded, and reconnects retry within a second. Opening a connection
 * (TCP connect, then the HELLO/PING handshake) is bounded by the connect timeout instead: Lettuce
 * bounds the handshake by the {@link io.lettuce.core.RedisURI}'s timeout, which {@link ShardUri}
 * sets to it, so a handshake a little slower than a command (a busy machine, a cold start) is not
 * cut short.
 */
final class FailFastClientOptions {

    static final int REQUEST_QUEUE_SIZE = 10_000;

    /** The least time between two topology refreshes triggered by reconnects, redirects or uncovered slots. */
    private static final Duration ADAPTIVE_REFRESH_TIMEOUT = Duration.ofSeconds(1);

    private FailFastClientOptions() {
    }

    static ClientOptions standalone(Duration commandTimeout, Duration connectTimeout) {
        return apply(ClientOptions.builder(), commandTimeout, connectTimeout).build();
    }

    /**
     * The fail-fast settings, and a slot map that follows a failover within a second or two of the
     * promotion. When a primary dies, Lettuce's reconnect attempts to it trigger a topology refresh
     * within milliseconds, long before the cluster has noticed (cluster-node-timeout) and promoted a
     * replica; that refresh finds nothing new. Refreshes are then triggered again by every further
     * reconnect attempt (about one a second, see {@link #resources()}), but at most once per
     * adaptive-refresh timeout, which bounds how long the promoted replica's slots keep failing
     * after the promotion: Lettuce's default of 5 s is lowered to 1 s. A failed node without slots
     * (the old primary once replaced) is left out of the slot map, so Lettuce drops its connection to
     * it instead of reconnecting, and refreshing, for as long as the cluster lists it. The periodic
     * refresh catches what no trigger does, such as a replica added or moved.
     */
    static ClusterClientOptions cluster(Duration commandTimeout, Duration connectTimeout) {
        ClusterClientOptions.Builder builder = ClusterClientOptions.builder();
        apply(builder, commandTimeout, connectTimeout);
        return builder
                .topologyRefreshOptions(ClusterTopologyRefreshOptions.builder()
                        .enableAllAdaptiveRefreshTriggers()
                        .adaptiveRefreshTriggersTimeout(ADAPTIVE_REFRESH_TIMEOUT)
                        .enablePeriodicRefresh(Duration.ofSeconds(30))
                        .build())
                .nodeFilter(node -> !(node.is(RedisClusterNode.NodeFlag.NOADDR)
                        || node.is(RedisClusterNode.NodeFlag.FAIL) && node.hasNoSlots()))
                .build();
    }

    static ClientResources resources() {
        return ClientResources.builder()
                .reconnectDelay(Delay.exponential(Duration.ofMillis(10), Duration.ofSeconds(1), 2, TimeUnit.MILLISECONDS))
                .nettyCustomizer(new NettyCustomizer() {
                    // Lettuce flushes every command; scripts sent by many callers in one event-loop turn
                    // then go out in one write instead of one system call each.
                    @Override
                    public void afterChannelInitialized(Channel channel) {
                        channel.pipeline().addFirst(new FlushConsolidationHandler(
                                FlushConsolidationHandler.DEFAULT_EXPLICIT_FLUSH_AFTER_FLUSHES, true));
                        IoUringCloseGuard.addTo(channel);
                    }
                })
                .build();
    }

    private static ClientOptions.Builder apply(
            ClientOptions.Builder builder, Duration commandTimeout, Duration connectTimeout) {
        return builder
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .requestQueueSize(REQUEST_QUEUE_SIZE)
                .autoReconnect(true)
                // A script in flight when the link dropped may or may not have run: fail it, never count it twice.
                .replayFilter(command -> true)
                .pingBeforeActivateConnection(true)
                .timeoutOptions(TimeoutOptions.enabled(commandTimeout))
                .socketOptions(SocketOptions.builder().connectTimeout(connectTimeout).keepAlive(true).build());
    }
}
