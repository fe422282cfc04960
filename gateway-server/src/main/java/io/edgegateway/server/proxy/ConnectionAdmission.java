package io.edgegateway.server.proxy;

import io.edgegateway.config.Limits;
import io.edgegateway.filters.metrics.GatewayMetrics;
import io.netty.channel.Channel;
import io.prometheus.client.Counter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Whether a client connection just accepted may stay: at most {@code limits.max-connections} open
 * at once, and {@code limits.max-connections-per-client} from one address. A connection flood
 * (one client opening sockets it never uses, or a botnet's worth) would otherwise hold a few KB of
 * heap each until the idle timeout, as many as the file limit allows. A connection over a bound
 * is closed before any handler or buffer is set up for it. The counts change when a connection
 * opens and closes, never per request.
 */
public final class ConnectionAdmission {

    private final int maxConnections;
    private final int maxPerClient;
    private final AtomicInteger open = new AtomicInteger();
    /** Open connections by client address, while there are any; only when {@link #maxPerClient} is set. */
    private final ConcurrentHashMap<InetAddress, Integer> byClient = new ConcurrentHashMap<>();
    private final Counter.Child overMax;
    private final Counter.Child overPerClient;

    public ConnectionAdmission(Limits limits, GatewayMetrics metrics) {
        this.maxConnections = limits.maxConnections();
        this.maxPerClient = limits.maxConnectionsPerClient();
        this.overMax = metrics.clientConnectionsRefused.labels("max_connections");
        this.overPerClient = metrics.clientConnectionsRefused.labels("per_client");
    }

    /** Admits {@code channel} and counts it until it closes, or counts the refusal and says no. */
    boolean admit(Channel channel) {
        if (open.incrementAndGet() > maxConnections) {
            open.decrementAndGet();
            overMax.inc();
            return false;
        }
        if (maxPerClient == 0) {
            channel.closeFuture().addListener(closed -> open.decrementAndGet());
            return true;
        }
        InetAddress client = ((InetSocketAddress) channel.remoteAddress()).getAddress();
        if (byClient.merge(client, 1, Integer::sum) > maxPerClient) {
            release(client);
            overPerClient.inc();
            return false;
        }
        channel.closeFuture().addListener(closed -> release(client));
        return true;
    }

    private void release(InetAddress client) {
        byClient.computeIfPresent(client, (address, count) -> count == 1 ? null : count - 1);
        open.decrementAndGet();
    }
}
