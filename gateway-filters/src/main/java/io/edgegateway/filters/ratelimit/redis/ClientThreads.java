package io.edgegateway.filters.ratelimit.redis;

import io.edgegateway.transport.Transport;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.EventLoopGroupProvider;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.resolver.AddressResolverGroup;
import io.netty.resolver.dns.DnsAddressResolverGroup;
import io.netty.resolver.dns.DnsNameResolverBuilder;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.EventExecutorGroup;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ImmediateEventExecutor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads Lettuce's connections run on, as slots: one per connection a shard keeps.
 *
 * <p>Given the gateway's event loops, slot {@code i} is loop {@code i}: its connections are
 * registered on that loop, so a decision asked for on a loop is written, read and completed on
 * that loop's thread, with no hand-over between threads and no wake-up of another one. Without
 * loops (the store used as a library) Lettuce runs its own I/O threads and each calling thread
 * keeps to one slot.
 *
 * <p>Lettuce picks its socket type by its own rule (epoll before io_uring), and a channel only
 * registers on a loop of its own transport: clients made here for the gateway's loops take the
 * loops' transport instead, for their sockets and their name resolver's.
 */
final class ClientThreads implements AutoCloseable {

    static {
        // Lettuce's own pick is epoll either way (clients on the gateway's loops take theirs, see
        // LoopTransportClients); without this it warns that io_uring is there too, on every connect.
        if (System.getProperty("io.lettuce.core.iouring") == null) {
            System.setProperty("io.lettuce.core.iouring", "false");
        }
    }

    private static final AtomicInteger NEXT_THREAD = new AtomicInteger();
    private static final ThreadLocal<Integer> THREAD_INDEX = ThreadLocal.withInitial(NEXT_THREAD::getAndIncrement);

    private final ClientResources shared;
    private final List<ClientResources> perSlot;
    private final EventLoop[] loops;
    /** The loops' transport and a name resolver of it; none for {@link #own}, where Lettuce picks. */
    private final Transport transport;
    private final AddressResolverGroup<?> resolver;

    private ClientThreads(ClientResources shared, List<ClientResources> perSlot, EventLoop[] loops,
            Transport transport, AddressResolverGroup<?> resolver) {
        this.shared = shared;
        this.perSlot = perSlot;
        this.loops = loops;
        this.transport = transport;
        this.resolver = resolver;
    }

    /** {@code slots} slots on Lettuce's own I/O threads. */
    static ClientThreads own(int slots) {
        if (slots < 1) {
            throw new IllegalArgumentException("connections: " + slots + " (expected: > 0)");
        }
        ClientResources resources = FailFastClientOptions.resources();
        return new ClientThreads(resources, Collections.nCopies(slots, resources), new EventLoop[0], null, null);
    }

    /** One slot per loop of {@code group}, each slot's connections on its loop. */
    static ClientThreads on(EventLoopGroup group) {
        List<EventLoop> loops = new ArrayList<>();
        for (EventExecutor executor : group) {
            loops.add((EventLoop) executor);
        }
        if (loops.isEmpty()) {
            throw new IllegalArgumentException("event loop group has no loops");
        }
        Transport transport = Transport.of(group);
        AddressResolverGroup<?> resolver = new DnsAddressResolverGroup(new DnsNameResolverBuilder()
                .datagramChannelType(transport.datagramChannelType())
                .socketChannelType(transport.channelType()));
        ClientResources shared = FailFastClientOptions.resources();
        List<ClientResources> perSlot = new ArrayList<>();
        for (EventLoop loop : loops) {
            perSlot.add(shared.mutate().eventLoopGroupProvider(new OneLoop(loop)).build());
        }
        return new ClientThreads(shared, perSlot, loops.toArray(EventLoop[]::new), transport, resolver);
    }

    int slots() {
        return perSlot.size();
    }

    /** The resources a client for {@code slot} is built with. */
    ClientResources resources(int slot) {
        return perSlot.get(slot);
    }

    /** A client for {@code slot}, its sockets of the slot's loop's transport. */
    RedisClient newClient(int slot) {
        return transport == null ? RedisClient.create(resources(slot))
                : LoopTransportClients.standalone(resources(slot), transport, resolver);
    }

    /** A cluster client for {@code slot}, its sockets of the slot's loop's transport. */
    RedisClusterClient newClusterClient(int slot, Iterable<RedisURI> seeds) {
        return transport == null ? RedisClusterClient.create(resources(slot), seeds)
                : LoopTransportClients.cluster(resources(slot), seeds, transport, resolver);
    }

    /** The slot of the calling thread: its own loop's when it is one of the loops. */
    int slotOfCurrentThread() {
        int loop = loopOfCurrentThread();
        return loop >= 0 ? loop : Math.floorMod(THREAD_INDEX.get(), perSlot.size());
    }

    /** The loops given to {@link #on}, slot {@code i} being loop {@code i}; none for {@link #own}. */
    int loopCount() {
        return loops.length;
    }

    EventLoop loop(int slot) {
        return loops[slot];
    }

    /** The slot of the loop the calling thread runs, or -1 when it runs none of them. */
    int loopOfCurrentThread() {
        for (int i = 0; i < loops.length; i++) {
            if (loops[i].inEventLoop()) {
                return i;
            }
        }
        return -1;
    }

    /** Releases Lettuce's own threads; the loops given to {@link #on} stay the caller's. */
    @Override
    public void close() {
        for (ClientResources resources : perSlot) {
            if (resources != shared) {
                resources.shutdown(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
            }
        }
        shared.shutdown(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
        if (resolver != null) {
            resolver.close();
        }
    }

    /** Hands Lettuce one loop for every connection, and never shuts it down. */
    private record OneLoop(EventLoop loop) implements EventLoopGroupProvider {

        @Override
        @SuppressWarnings("unchecked")
        public <T extends EventLoopGroup> T allocate(Class<T> type) {
            return (T) loop;
        }

        @Override
        public int threadPoolSize() {
            return 1;
        }

        @Override
        public Future<Boolean> release(EventExecutorGroup group, long quietPeriod, long timeout, TimeUnit unit) {
            return ImmediateEventExecutor.INSTANCE.newSucceededFuture(true);
        }

        @Override
        public Future<Boolean> shutdown(long quietPeriod, long timeout, TimeUnit unit) {
            return ImmediateEventExecutor.INSTANCE.newSucceededFuture(true);
        }
    }
}
