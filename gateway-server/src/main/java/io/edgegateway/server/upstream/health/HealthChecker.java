package io.edgegateway.server.upstream.health;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.ssl.SslContext;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Active health checks of upstream instances, off the request path: each watched instance gets
 * {@code GET path} on a fresh connection every interval, so the checks never share, wait for or
 * disturb the request pools. An instance starts healthy and is checked at once.
 *
 * <p>A check is good when a 2xx response has been read in full within the timeout; a failed
 * connect, a reset, a timeout or any other status is a failed check. The health flips after
 * {@code unhealthyThreshold} failed checks in a row, and back after {@code healthyThreshold}
 * good ones in a row.
 */
public final class HealthChecker implements AutoCloseable {

    /** Told when an instance's health changes; called on an event loop, so it must not block. */
    public interface Listener {
        void onHealthChanged(Object target, boolean healthy);
    }

    /** The checks of one instance. */
    public interface Handle {
        /** The health as of the last change; readable from any thread. */
        boolean healthy();

        /** Stops the checks and closes the one under way, if any; the listener is not called again. */
        void cancel();
    }

    private final EventLoopGroup group;
    private final Class<? extends SocketChannel> channelType;
    private final Listener listener;
    private final Set<HealthCheckSchedule> watched = ConcurrentHashMap.newKeySet();

    /**
     * @param group the loops the checks run on (the checker never shuts it down)
     * @param channelType the socket channel of {@code group}'s transport
     */
    public HealthChecker(EventLoopGroup group, Class<? extends SocketChannel> channelType, Listener listener) {
        this.group = group;
        this.channelType = channelType;
        this.listener = listener;
    }

    /**
     * Starts checking one instance.
     *
     * @param target what the listener is told about, e.g. the instance object
     * @param address where the instance listens, already resolved: no check ever waits on DNS
     * @param host the host as written in the upstream's URI: the {@code Host} header (with the
     *             port unless it is the scheme's default) and, over TLS, the server name verified
     * @param tls the client context for an {@code https://} upstream
     * @param path the request target checked, e.g. {@code /healthz}
     */
    public Handle watch(Object target, InetSocketAddress address, String host, Optional<SslContext> tls,
                        String path, Duration interval, Duration timeout, int healthyThreshold, int unhealthyThreshold) {
        return watch(target, address, host, tls, path, interval, timeout, healthyThreshold, unhealthyThreshold, true);
    }

    /**
     * As {@link #watch(Object, InetSocketAddress, String, Optional, String, Duration, Duration, int, int)},
     * starting from {@code startHealthy}: checks restarted with new settings keep the verdict they had.
     */
    public Handle watch(Object target, InetSocketAddress address, String host, Optional<SslContext> tls,
                        String path, Duration interval, Duration timeout, int healthyThreshold, int unhealthyThreshold,
                        boolean startHealthy) {
        if (address.isUnresolved()) {
            throw new IllegalArgumentException("address: " + address + " (expected: resolved)");
        }
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("path: " + path + " (expected: starting with /)");
        }
        requirePositive("interval", interval);
        requirePositive("timeout", timeout);
        HealthCheckStreak streak = new HealthCheckStreak(healthyThreshold, unhealthyThreshold, startHealthy);
        HealthCheckSchedule schedule = new HealthCheckSchedule(target, group.next(), channelType, address, host, tls,
                path, interval, timeout, streak, listener, watched::remove);
        watched.add(schedule);
        schedule.start();
        return schedule;
    }

    private static void requirePositive(String name, Duration value) {
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + ": " + value + " (expected: > 0)");
        }
    }

    /** Cancels every instance still watched. */
    @Override
    public void close() {
        for (HealthCheckSchedule schedule : watched) {
            schedule.cancel();
        }
    }
}
