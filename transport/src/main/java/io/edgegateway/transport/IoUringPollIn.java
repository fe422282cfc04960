package io.edgegateway.transport;

/**
 * Has Netty's io_uring transport wait for readable sockets with one-shot POLLIN, not multishot: with
 * multishot (Netty 4.2.18's default) a peer's reset or close that lands while a receive is in flight
 * can go unseen for as long as the peer stays silent, which a reset peer always does. That receive
 * drains the data, reports the socket empty and ends the read loop (a pending error or end of stream
 * is not "non-empty"); the multishot poll has already spent its wake-up on the reset and stays armed,
 * so the next read request finds a poll scheduled and submits nothing. A one-shot poll is consumed by
 * its wake-up, and the next read arms a new one, which the kernel answers at once for a socket that is
 * readable, at end of stream or in error. The cost is one poll request per read loop.
 *
 * <p>Netty reads the switch once, when its {@code IoUring} class is first used; this module is the
 * only code of ours that uses it, and {@link TransportKind} sets the switch before it does. An
 * operator's own {@code -Dio.netty.iouring.pollAddMultishotEnabled} is left as given.
 */
final class IoUringPollIn {

    static final String MULTISHOT_PROPERTY = "io.netty.iouring.pollAddMultishotEnabled";

    private IoUringPollIn() {
    }

    /** Turns multishot POLLIN off unless it was set explicitly; call before io_uring is first touched. */
    static void preferOneShot() {
        if (System.getProperty(MULTISHOT_PROPERTY) == null) {
            System.setProperty(MULTISHOT_PROPERTY, "false");
        }
    }
}
