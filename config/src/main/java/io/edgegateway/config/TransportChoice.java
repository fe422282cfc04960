package io.edgegateway.config;

/**
 * {@code gateway.transport}: how the event loops do their I/O. {@code auto} takes io_uring where the
 * kernel allows it, else epoll, else NIO; a native one named outright must be there, or the gateway
 * does not start.
 */
public enum TransportChoice {
    AUTO,
    IO_URING,
    EPOLL,
    NIO;

    /** As written in the configuration: {@code auto}, {@code io-uring}, {@code epoll}, {@code nio}. */
    public String label() {
        return ConfigValueReader.spelling(this);
    }
}
