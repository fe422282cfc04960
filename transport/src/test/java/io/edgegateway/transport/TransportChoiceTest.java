package io.edgegateway.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class TransportChoiceTest {

    @Test
    void autoPrefersIoUringThenEpollThenNio() {
        assertThat(TransportKind.preferred(kind -> true)).isEqualTo(TransportKind.IO_URING);
        assertThat(TransportKind.preferred(kind -> kind != TransportKind.IO_URING)).isEqualTo(TransportKind.EPOLL);
        assertThat(TransportKind.preferred(kind -> false)).isEqualTo(TransportKind.NIO);
    }

    @Test
    void autoIsTheFirstAvailableHere() {
        TransportKind expected = TransportKind.IO_URING.isAvailable() ? TransportKind.IO_URING
                : TransportKind.EPOLL.isAvailable() ? TransportKind.EPOLL : TransportKind.NIO;
        assertThat(Transport.auto().kind()).isEqualTo(expected);
        assertThat(Transport.named("auto").kind()).isEqualTo(expected);
    }

    @Test
    void nioIsAlwaysThereAndForcedByName() {
        assertThat(TransportKind.NIO.isAvailable()).isTrue();
        assertThat(Transport.named("nio").kind()).isEqualTo(TransportKind.NIO);
    }

    @Test
    void aNativeTransportNamedButMissingFailsSayingWhy() {
        Throwable missing = new UnsatisfiedLinkError("io_uring_setup: Operation not permitted");
        assertThatThrownBy(() -> Transport.of(TransportKind.IO_URING, Optional.of(missing)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("transport io-uring is not available on this machine")
                .hasMessageContaining("Operation not permitted")
                .hasCause(missing);
    }

    @Test
    void anUnknownNameIsRefused() {
        assertThatThrownBy(() -> Transport.named("kqueue"))
                .hasMessage("transport: kqueue (expected: auto, io-uring, epoll or nio)");
    }

    @Test
    void labelsAreTheConfiguredNames() {
        assertThat(TransportKind.IO_URING.label()).isEqualTo("io-uring");
        assertThat(TransportKind.EPOLL.label()).isEqualTo("epoll");
        assertThat(TransportKind.NIO.label()).isEqualTo("nio");
    }
}
