package io.edgegateway.server.upstream;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.util.ArrayDeque;

/**
 * Keep-alive connections to one upstream instance, owned by one event loop.
 *
 * <p>Every method runs on that loop, so the pool needs no locks: a request borrows a connection
 * on the loop that serves its client and never hands work to another thread. Idle connections are
 * reused most-recently-released first, which keeps a few connections warm instead of many cold.
 */
public final class UpstreamPool {

    private final UpstreamAddress address;
    private final EventLoop loop;
    private final Bootstrap bootstrap;
    private final int maxConnections;
    private final int maxPending;
    /** The streams of an {@code h2c://} or {@code h2://} instance; null for HTTP/1.1. */
    private final Http2Connections http2;
    private final ArrayDeque<Channel> idle = new ArrayDeque<>();
    private final ArrayDeque<Waiter> pending = new ArrayDeque<>();
    private int open;
    private int inFlight;
    /** {@link #open} and the idle count as of the loop's last {@link #publishGauges}, for the metrics thread. */
    private volatile int openPublished;
    private volatile int idlePublished;

    private record Waiter(Promise<PooledConnection> promise, int connectTimeoutMillis) { }

    UpstreamPool(UpstreamAddress address, EventLoop loop, Bootstrap bootstrap, int maxConnections, int maxPending) {
        this(address, loop, bootstrap, maxConnections, maxPending, null);
    }

    private UpstreamPool(UpstreamAddress address, EventLoop loop, Bootstrap bootstrap, int maxConnections, int maxPending,
            Http2Connections http2) {
        this.address = address;
        this.loop = loop;
        this.bootstrap = bootstrap;
        this.maxConnections = maxConnections;
        this.maxPending = maxPending;
        this.http2 = http2;
    }

    /**
     * A pool of an HTTP/2 instance: it lends streams, each a channel of its own, multiplexed over
     * connections of at most {@code maxStreams} streams each.
     */
    static UpstreamPool http2(UpstreamAddress address, EventLoop loop, Bootstrap bootstrap, int maxConnections,
            int maxPending, int maxStreams) {
        return new UpstreamPool(address, loop, bootstrap, maxConnections, maxPending,
                new Http2Connections(address, bootstrap, maxConnections, maxPending, maxStreams));
    }

    /** Whether it lends HTTP/2 streams: one not wanted any more is reset, never drained. */
    public boolean multiplexed() {
        return http2 != null;
    }

    /**
     * Lends a connection to {@code borrower}: at once, without a promise, when one is idle; else
     * when one opens or is released (or fails to). A connection that arrives after the borrower gave
     * up goes back to the pool.
     *
     * @return the acquisition still pending, for the borrower to cancel; null when it is already over
     */
    public Future<PooledConnection> lend(int connectTimeoutMillis, Borrower borrower) {
        if (http2 != null) {
            http2.lend(connectTimeoutMillis, borrower);
            return null;
        }
        Channel idle = acquireIdle();
        if (idle != null) {
            borrower.lent(idle, true);
            return null;
        }
        Future<PooledConnection> future = acquire(connectTimeoutMillis);
        if (future.isDone()) {
            deliver(future, borrower);
            return null;
        }
        future.addListener(f -> deliver(future, borrower));
        return future;
    }

    private void deliver(Future<PooledConnection> future, Borrower borrower) {
        if (borrower.gaveUp()) {
            if (future.isSuccess()) {
                release(future.getNow().channel(), true);
            }
        } else if (future.isSuccess()) {
            borrower.lent(future.getNow().channel(), future.getNow().reused());
        } else {
            borrower.notLent(future.cause());
        }
    }

    /**
     * Lends a connection: an idle one when there is one, a new one while under the bound, else
     * the request waits for a release, up to {@code maxPending} waiters.
     */
    private Future<PooledConnection> acquire(int connectTimeoutMillis) {
        Promise<PooledConnection> promise = loop.newPromise();
        inFlight++;
        promise.addListener(f -> {
            if (!f.isSuccess()) {
                inFlight--;
            }
        });
        Channel channel = pollIdle();
        if (channel != null) {
            promise.setSuccess(new PooledConnection(channel, true));
        } else if (open < maxConnections) {
            connect(promise, connectTimeoutMillis);
        } else if (pending.size() < maxPending) {
            pending.add(new Waiter(promise, connectTimeoutMillis));
        } else {
            promise.setFailure(new PoolExhaustedException(address));
        }
        return promise;
    }

    /** Lends an idle connection when there is one, without the cost of a promise; else null. */
    private Channel acquireIdle() {
        Channel channel = pollIdle();
        if (channel != null) {
            inFlight++;
        }
        return channel;
    }

    /** Returns a connection; a connection that cannot carry another exchange is closed instead. */
    public void release(Channel channel, boolean reusable) {
        if (http2 != null) {
            http2.release(channel);
            return;
        }
        inFlight--;
        if (reusable && channel.isActive()) {
            offer(channel);
        } else {
            channel.close();
        }
    }

    /**
     * Lets a lent connection go for good: it switched to another protocol (a WebSocket) and is never
     * lent again. It still counts as open, against {@code maxConnections}, until it closes.
     */
    public void detach(Channel channel) {
        if (http2 != null) {
            http2.release(channel);
            return;
        }
        inFlight--;
    }

    private void offer(Channel channel) {
        Waiter waiter;
        while ((waiter = pending.poll()) != null) {
            if (waiter.promise().trySuccess(new PooledConnection(channel, true))) {
                return;
            }
        }
        idle.push(channel);
    }

    /** Requests that hold or wait for a connection of this pool: the least-request balancer's signal. */
    public int inFlight() {
        return http2 != null ? http2.inFlight() : inFlight;
    }

    public UpstreamAddress address() {
        return address;
    }

    /**
     * For an instance no route has any more: closes its idle connections, and says whether nothing
     * is left (none open, lent or waited for), so the pool can be forgotten. A lent connection is
     * closed by a later call, once it is back. Call on the loop.
     */
    boolean retire() {
        if (http2 != null) {
            return http2.retire();
        }
        Channel channel;
        while ((channel = idle.poll()) != null) {
            channel.close();
        }
        return open == 0 && inFlight == 0 && pending.isEmpty();
    }

    /** Copies the counts the loop keeps for readers on other threads; call on the loop. */
    void publishGauges() {
        openPublished = http2 != null ? http2.openConnections() : open;
        idlePublished = http2 != null ? http2.idleConnections() : idle.size();
    }

    /** Open connections, as last published. */
    public int openConnections() {
        return openPublished;
    }

    /** Idle connections, as last published. */
    public int idleConnections() {
        return idlePublished;
    }

    private Channel pollIdle() {
        Channel channel;
        while ((channel = idle.poll()) != null) {
            if (channel.isActive()) {
                return channel;
            }
        }
        return null;
    }

    private void connect(Promise<PooledConnection> promise, int connectTimeoutMillis) {
        open++;
        ChannelFuture connect = bootstrap.clone()
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, connectTimeoutMillis)
                .connect(address.socketAddress());
        Channel channel = connect.channel();
        channel.closeFuture().addListener(f -> onClosed(channel));
        connect.addListener(f -> {
            if (f.isSuccess()) {
                if (!promise.trySuccess(new PooledConnection(channel, false))) {
                    offer(channel); // the acquire was cancelled; keep the fresh connection
                }
            } else {
                promise.tryFailure(f.cause());
            }
        });
    }

    private void onClosed(Channel channel) {
        open--;
        idle.remove(channel);
        Waiter waiter;
        while (open < maxConnections && (waiter = pending.poll()) != null) {
            if (!waiter.promise().isDone()) {
                connect(waiter.promise(), waiter.connectTimeoutMillis());
                return;
            }
        }
    }
}
