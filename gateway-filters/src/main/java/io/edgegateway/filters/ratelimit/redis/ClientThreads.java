package io.edgegateway.filters.ratelimit.redis;

import io.edgegateway.transport.Transport;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.EventLoopGroupProvider;
import io.lettuce.core.resource.NettyCustomizer;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
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
 * registers on a loop of its own transport: on the gateway's loops the connections take the loops'
 * transport instead, and so does their name resolver's datagram socket.
 */
final class ClientThreads implements AutoCloseable {

    private static final AtomicInteger NEXT_THREAD = new AtomicInteger();
    private static final ThreadLocal<Integer> THREAD_INDEX = ThreadLocal.withInitial(NEXT_THREAD::getAndIncrement);

    private final ClientResources shared;
    private final List<ClientResources> perSlot;
    private final EventLoop[] loops;
    /** The resolver of the loops' transport; none for {@link #own}. */
    private final AddressResolverGroup<?> resolver;

    private ClientThreads(ClientResources shared, List<ClientResources> perSlot, EventLoop[] loops,
            AddressResolverGroup<?> resolver) {
        this.shared = shared;
        this.perSlot = perSlot;
        this.loops = loops;
        this.resolver = resolver;
    }

    /** {@code slots} slots on Lettuce's own I/O threads. */
    static ClientThreads own(int slots) {
        if (slots < 1) {
            throw new IllegalArgumentException("connections: " + slots + " (expected: > 0)");
        }
        ClientResources resources = FailFastClientOptions.resources();
        return new ClientThreads(resources, Collections.nCopies(slots, resources), new EventLoop[0], null);
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
        NettyCustomizer onLoops = new OnTransport(shared.nettyCustomizer(), transport, resolver);
        List<ClientResources> perSlot = new ArrayList<>();
        for (EventLoop loop : loops) {
            perSlot.add(shared.mutate().eventLoopGroupProvider(new OneLoop(loop)).nettyCustomizer(onLoops).build());
        }
        return new ClientThreads(shared, perSlot, loops.toArray(EventLoop[]::new), resolver);
    }

    int slots() {
        return perSlot.size();
    }

    /** The resources a client for {@code slot} is built with. */
    ClientResources resources(int slot) {
        return perSlot.get(slot);
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

    /** Lettuce's customizer, with the socket type and resolver of the loops' transport set on every bootstrap. */
    private record OnTransport(NettyCustomizer delegate, Transport transport, AddressResolverGroup<?> resolver)
            implements NettyCustomizer {

        @Override
        public void afterBootstrapInitialized(Bootstrap bootstrap) {
            bootstrap.channel(transport.channelType()).resolver(resolver);
            delegate.afterBootstrapInitialized(bootstrap);
        }

        @Override
        public void afterChannelInitialized(Channel channel) {
            delegate.afterChannelInitialized(channel);
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
