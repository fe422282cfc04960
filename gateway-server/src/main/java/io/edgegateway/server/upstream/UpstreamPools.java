package io.edgegateway.server.upstream;

import io.edgegateway.config.UpstreamDefaults;
import io.edgegateway.transport.Transport;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.FastThreadLocal;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The pools of every upstream, one set per event loop. Looked up from the loop's own thread, so a
 * plain map per loop serves without synchronisation.
 */
public final class UpstreamPools {

    private final Transport transport;
    private final ChannelHandler upstreamInitializer;
    private final int maxConnectionsPerLoop;
    private final int maxPendingPerLoop;
    private final int h2MaxStreams;
    private final Queue<UpstreamPool> all = new ConcurrentLinkedQueue<>();
    private final FastThreadLocal<Map<UpstreamAddress, UpstreamPool>> perLoop = new FastThreadLocal<>() {
        @Override
        protected Map<UpstreamAddress, UpstreamPool> initialValue() {
            return new HashMap<>();
        }
    };

    public UpstreamPools(Transport transport, ChannelHandler upstreamInitializer, UpstreamDefaults settings, int loops) {
        this.transport = transport;
        this.upstreamInitializer = upstreamInitializer;
        this.maxConnectionsPerLoop = Math.max(1, ceilDiv(settings.maxConnections(), loops));
        this.maxPendingPerLoop = Math.max(0, ceilDiv(settings.maxPending(), loops));
        this.h2MaxStreams = settings.h2MaxConcurrentStreams();
    }

    /** The pool for {@code address} owned by {@code loop}; must be called on that loop. */
    public UpstreamPool pool(EventLoop loop, UpstreamAddress address) {
        assert loop.inEventLoop();
        // get-then-put rather than computeIfAbsent: its lambda would capture the loop, one object per request.
        Map<UpstreamAddress, UpstreamPool> pools = perLoop.get();
        UpstreamPool pool = pools.get(address);
        if (pool == null) {
            pool = address.http2()
                    ? UpstreamPool.http2(address, loop, bootstrap(loop, address), maxConnectionsPerLoop, maxPendingPerLoop,
                            h2MaxStreams)
                    : new UpstreamPool(address, loop, bootstrap(loop, address), maxConnectionsPerLoop, maxPendingPerLoop);
            pools.put(address, pool);
            all.add(pool);
        }
        return pool;
    }

    /**
     * The requests in flight to {@code address} from the calling loop's pool, 0 when that loop has
     * none yet: the least-request balancer's signal. Must be called on an event loop of the pools.
     */
    public int inFlightHere(UpstreamAddress address) {
        UpstreamPool pool = perLoop.get().get(address);
        return pool == null ? 0 : pool.inFlight();
    }

    /** Every pool of every loop, for the connection gauges. */
    public Collection<UpstreamPool> all() {
        return all;
    }

    /**
     * Has each loop, every {@code periodMillis}, publish its pools' counts, so the gauges read them
     * without touching the request path; and let go of the pools of instances {@code inUse} no
     * longer names (a reload or a DNS change took them out of every route): their idle
     * connections are closed at once rather than at the idle timeout, and once nothing of a pool
     * is left it is forgotten, so that neither it nor its gauge series outlive the instance. A
     * request still on its way to such an instance makes its pool again; the next pass retires it.
     */
    public void maintainEvery(EventLoopGroup loops, long periodMillis, Predicate<UpstreamAddress> inUse) {
        for (EventExecutor loop : loops) {
            loop.scheduleAtFixedRate(() -> maintain(inUse), periodMillis, periodMillis, TimeUnit.MILLISECONDS);
        }
    }

    private void maintain(Predicate<UpstreamAddress> inUse) {
        Iterator<UpstreamPool> pools = perLoop.get().values().iterator();
        while (pools.hasNext()) {
            UpstreamPool pool = pools.next();
            if (!inUse.test(pool.address()) && pool.retire()) {
                pools.remove();
                all.remove(pool);
            } else {
                pool.publishGauges();
            }
        }
    }

    private Bootstrap bootstrap(EventLoop loop, UpstreamAddress address) {
        return new Bootstrap()
                .group(loop)
                .attr(UpstreamAddress.KEY, address)
                .channel(transport.channelType())
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.SO_KEEPALIVE, true)
                .handler(upstreamInitializer);
    }

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }
}
