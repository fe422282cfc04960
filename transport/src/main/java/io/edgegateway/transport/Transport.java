package io.edgegateway.transport;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoEventLoopGroup;
import io.netty.channel.IoHandler;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.channel.uring.IoUringDatagramChannel;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringServerSocketChannel;
import io.netty.channel.uring.IoUringSocketChannel;
import java.util.Optional;

/**
 * One transport's event loops and the channel types that must go with them: a channel only
 * registers on a loop of its own transport, so whoever opens a socket on a loop asks here for its
 * type instead of choosing again.
 */
public record Transport(
        TransportKind kind,
        IoHandlerFactory ioHandlerFactory,
        Class<? extends IoHandler> ioHandlerType,
        Class<? extends ServerChannel> serverChannelType,
        Class<? extends SocketChannel> channelType,
        Class<? extends DatagramChannel> datagramChannelType) {

    /** The label to configure and log: {@code io-uring}, {@code epoll} or {@code nio}. */
    public String name() {
        return kind.label();
    }

    /** The transport {@code auto} takes on this machine: io_uring, else epoll, else NIO ({@link TransportKind#preferred}). */
    public static Transport auto() {
        return create(TransportKind.preferred(TransportKind::isAvailable));
    }

    /**
     * {@code auto}, {@code io-uring}, {@code epoll} or {@code nio}. A native transport asked for by
     * name and not available here is an error, not a quiet fallback: whoever named it expects it.
     */
    public static Transport named(String name) {
        if (name.equals("auto")) {
            return auto();
        }
        TransportKind kind = TransportKind.ofLabel(name).orElseThrow(() -> new IllegalArgumentException(
                "transport: " + name + " (expected: auto, io-uring, epoll or nio)"));
        return of(kind);
    }

    /** {@code kind}'s transport; throws, saying why, when this machine does not offer it. */
    public static Transport of(TransportKind kind) {
        return of(kind, kind.unavailabilityCause());
    }

    static Transport of(TransportKind kind, Optional<Throwable> unavailable) {
        if (unavailable.isPresent()) {
            Throwable cause = unavailable.get();
            throw new IllegalStateException("transport " + kind.label() + " is not available on this machine ("
                    + cause + "); use auto, or another of io-uring, epoll, nio", cause);
        }
        return create(kind);
    }

    /** The transport whose loops make up {@code group}, for code handed loops it did not create. */
    public static Transport of(EventLoopGroup group) {
        for (TransportKind kind : TransportKind.values()) {
            if (kind.isAvailable() && group instanceof IoEventLoopGroup io && io.isIoType(create(kind).ioHandlerType())) {
                return create(kind);
            }
        }
        throw new IllegalArgumentException("event loop group " + group + " is of no known transport");
    }

    public EventLoopGroup newGroup(int threads) {
        return new MultiThreadIoEventLoopGroup(threads, ioHandlerFactory);
    }

    private static Transport create(TransportKind kind) {
        return switch (kind) {
            case IO_URING -> new Transport(kind, IoUringIoHandler.newFactory(), IoUringIoHandler.class,
                    IoUringServerSocketChannel.class, IoUringSocketChannel.class, IoUringDatagramChannel.class);
            case EPOLL -> new Transport(kind, EpollIoHandler.newFactory(), EpollIoHandler.class,
                    EpollServerSocketChannel.class, EpollSocketChannel.class, EpollDatagramChannel.class);
            case NIO -> new Transport(kind, NioIoHandler.newFactory(), NioIoHandler.class,
                    NioServerSocketChannel.class, NioSocketChannel.class, NioDatagramChannel.class);
        };
    }
}
