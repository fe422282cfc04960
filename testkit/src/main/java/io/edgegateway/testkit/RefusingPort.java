package io.edgegateway.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;

/**
 * A loopback port where every connection is refused, for as long as this is open. The port is held
 * by a bound socket that never listens, so nothing else (a gateway under test binding port 0, for
 * one) can be given it meanwhile: a port merely found free and released can be handed straight to
 * the next listener, and a gateway proxying to itself answers anything but "refused".
 */
public final class RefusingPort implements AutoCloseable {

    private final Socket holder = new Socket();

    public RefusingPort() {
        try {
            holder.bind(new InetSocketAddress("127.0.0.1", 0));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int port() {
        return holder.getLocalPort();
    }

    @Override
    public void close() {
        try {
            holder.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
