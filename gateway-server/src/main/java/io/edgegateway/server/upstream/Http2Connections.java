package io.edgegateway.server.upstream;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.Future;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLHandshakeException;

/**
 * The HTTP/2 side of an {@link UpstreamPool}: requests borrow streams, not connections. Streams go to
 * the first connection with room (so few connections carry the load); when every one is full another
 * opens, within the pool's bound, and beyond that a request waits for a stream to close. Each stream
 * is a channel of its own, so hedging, retries, timeouts and backpressure work on it as on a
 * connection. Runs on the pool's loop, without locks.
 */
final class Http2Connections {

    private static final String H2 = "h2";

    private final UpstreamAddress address;
    private final Bootstrap bootstrap;
    private final int maxConnections;
    private final int maxPending;
    private final int maxStreams;
    /** Connections that were set up (and ALPN chose h2): the ones streams open on. */
    private final List<Http2UpstreamConnection> ready = new ArrayList<>();
    private final ArrayDeque<Waiter> pending = new ArrayDeque<>();
    private int open;
    private int connecting;
    private int inFlight;

    private record Waiter(Borrower borrower, int connectTimeoutMillis) { }

    Http2Connections(UpstreamAddress address, Bootstrap bootstrap, int maxConnections, int maxPending, int maxStreams) {
        this.address = address;
        this.bootstrap = bootstrap;
        this.maxConnections = maxConnections;
        this.maxPending = maxPending;
        this.maxStreams = maxStreams;
    }

    /** Lends a stream to {@code borrower}: at once when a connection has room, else once one has. */
    void lend(int connectTimeoutMillis, Borrower borrower) {
        inFlight++;
        Http2UpstreamConnection connection = withRoom();
        if (connection != null) {
            openStream(connection, borrower);
            return;
        }
        int onTheirWay = connecting * maxStreams;
        if (pending.size() >= onTheirWay && open < maxConnections) {
            connect(connectTimeoutMillis);
            pending.add(new Waiter(borrower, connectTimeoutMillis));
        } else if (pending.size() < onTheirWay + maxPending) {
            pending.add(new Waiter(borrower, connectTimeoutMillis));
        } else {
            inFlight--;
            borrower.notLent(new PoolExhaustedException(address));
        }
    }

    /** Ends a lent stream: closing it resets it (CANCEL) when it is still open, never the connection. */
    void release(Channel stream) {
        inFlight--;
        stream.close();
    }

    int inFlight() {
        return inFlight;
    }

    int openConnections() {
        return open;
    }

    /** Connections with no stream open. */
    int idleConnections() {
        int idle = 0;
        for (Http2UpstreamConnection connection : ready) {
            idle += connection.streams() == 0 ? 1 : 0;
        }
        return idle;
    }

    /** As {@link UpstreamPool#retire}: closes the connections with no stream open. */
    boolean retire() {
        for (Http2UpstreamConnection connection : ready) {
            if (connection.streams() == 0) {
                connection.channel().close();
            }
        }
        return open == 0 && connecting == 0 && inFlight == 0 && pending.isEmpty();
    }

    /** A connection's room changed (its SETTINGS came, a stream closed, it closed): waiters may go. */
    void roomChanged() {
        Waiter waiter;
        while ((waiter = pending.peek()) != null) {
            if (waiter.borrower().gaveUp()) {
                pending.poll();
                inFlight--;
                continue;
            }
            Http2UpstreamConnection connection = withRoom();
            if (connection == null) {
                break;
            }
            pending.poll();
            openStream(connection, waiter.borrower());
        }
        if (pending.size() > connecting * maxStreams && open < maxConnections) {
            connect(pending.peek().connectTimeoutMillis());
        }
    }

    private Http2UpstreamConnection withRoom() {
        for (int i = 0; i < ready.size(); i++) {
            Http2UpstreamConnection connection = ready.get(i);
            if (connection.hasRoom(maxStreams)) {
                return connection;
            }
        }
        return null;
    }

    private void openStream(Http2UpstreamConnection connection, Borrower borrower) {
        Future<Http2StreamChannel> opening = connection.openStream();
        if (opening.isDone()) {
            opened(connection, opening, borrower);
        } else {
            opening.addListener(f -> opened(connection, opening, borrower));
        }
    }

    private void opened(Http2UpstreamConnection connection, Future<Http2StreamChannel> opening, Borrower borrower) {
        if (!opening.isSuccess()) {
            connection.streamClosed();
            inFlight--;
            borrower.notLent(opening.cause());
            return;
        }
        Http2StreamChannel stream = opening.getNow();
        stream.closeFuture().addListener(f -> {
            connection.streamClosed();
            roomChanged();
        });
        if (borrower.gaveUp()) {
            inFlight--;
            stream.close();
            return;
        }
        borrower.lent(stream, false);
    }

    private void connect(int connectTimeoutMillis) {
        open++;
        connecting++;
        ChannelFuture connect = bootstrap.clone()
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, connectTimeoutMillis)
                .connect(address.socketAddress());
        Channel channel = connect.channel();
        channel.closeFuture().addListener(f -> {
            open--;
            ready.removeIf(connection -> connection.channel() == channel);
            roomChanged();
        });
        connect.addListener(f -> {
            if (!f.isSuccess()) {
                notConnected(f.cause());
            } else if (address.tls()) {
                SslHandler tls = channel.pipeline().get(SslHandler.class);
                tls.handshakeFuture().addListener(h -> {
                    if (!h.isSuccess()) {
                        notConnected(h.cause());
                    } else if (!H2.equals(tls.applicationProtocol())) {
                        channel.close();
                        notConnected(new SSLHandshakeException(address.label() + " did not choose h2 by ALPN (chose "
                                + tls.applicationProtocol() + ")"));
                    } else {
                        connected(channel);
                    }
                });
            } else {
                connected(channel);
            }
        });
    }

    private void connected(Channel channel) {
        connecting--;
        Http2UpstreamConnection connection = channel.pipeline().get(Http2UpstreamConnection.class);
        connection.attach(this);
        ready.add(connection);
        roomChanged();
    }

    /**
     * A connection could not be made: the waiters it was meant for fail, those beyond what the
     * connections still on their way will take and what may wait for the open ones.
     */
    private void notConnected(Throwable cause) {
        connecting--;
        int mayWait = connecting * maxStreams + (ready.isEmpty() ? 0 : maxPending);
        while (pending.size() > mayWait) {
            Waiter waiter = pending.poll();
            inFlight--;
            if (!waiter.borrower().gaveUp()) {
                waiter.borrower().notLent(cause);
            }
        }
    }
}
