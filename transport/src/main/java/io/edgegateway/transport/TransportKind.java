package io.edgegateway.transport;

import io.netty.channel.epoll.Epoll;
import io.netty.channel.uring.IoUring;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The three ways a loop can do its I/O, in the order {@code auto} prefers them: io_uring, then
 * epoll, then NIO, which every JVM has. A native one is available when its library loads and the
 * kernel allows it (io_uring can be switched off with {@code kernel.io_uring_disabled}, or by a
 * container's seccomp profile).
 */
public enum TransportKind {
    IO_URING,
    EPOLL,
    NIO;

    static {
        IoUringPollIn.preferOneShot(); // before anything here touches Netty's IoUring class
    }

    /** The name used in configuration and logs: {@code io-uring}, {@code epoll}, {@code nio}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public boolean isAvailable() {
        return unavailabilityCause().isEmpty();
    }

    /** Why this transport cannot be used here, or empty when it can. */
    public Optional<Throwable> unavailabilityCause() {
        return Optional.ofNullable(switch (this) {
            case IO_URING -> IoUring.unavailabilityCause();
            case EPOLL -> Epoll.unavailabilityCause();
            case NIO -> null;
        });
    }

    /**
     * What {@code auto} takes: io_uring where {@code available} allows it, else epoll, else NIO.
     * io_uring measured 0.85x epoll's CPU per request in one run (docs/benchmarks.md); its gap
     * with an upstream's reset mid-response is closed by {@link IoUringPollIn}.
     */
    static TransportKind preferred(Predicate<TransportKind> available) {
        for (TransportKind kind : List.of(IO_URING, EPOLL)) {
            if (available.test(kind)) {
                return kind;
            }
        }
        return NIO;
    }

    /** The kind labelled {@code label}; {@code auto} is no kind, see {@link Transport#named}. */
    static Optional<TransportKind> ofLabel(String label) {
        for (TransportKind kind : values()) {
            if (kind.label().equals(label)) {
                return Optional.of(kind);
            }
        }
        return Optional.empty();
    }
}
