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
    private final ArrayDeque<Channel> idle = new ArrayDeque<>();
    private final ArrayDeque<Waiter> pending = new ArrayDeque<>();
    private int open;
    private int inFlight;
    /** {@link #open} and the idle count as of the loop's last {@link #publishGauges}, for the metrics thread. */
    private volatile int openPublished;
    private volatile int idlePublished;

    private record Waiter(Promise<PooledConnection> promise, int connectTimeoutMillis) { }

    UpstreamPool(UpstreamAddress address, EventLoop loop, Bootstrap bootstrap, int maxConnections, int maxPending) {
        this.address = address;
        this.loop = loop;
        this.bootstrap = bootstrap;
        this.maxConnections = maxConnections;
        this.maxPending = maxPending;
    }

    /**
     * Lends a connection: an idle one when there is one, a new one while under the bound, else
     * the request waits for a release, up to {@code maxPending} waiters.
     */
    public Future<PooledConnection> acquire(int connectTimeoutMillis) {
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
    public Channel acquireIdle() {
        Channel channel = pollIdle();
        if (channel != null) {
            inFlight++;
        }
        return channel;
    }

    /** Returns a connection; a connection that cannot carry another exchange is closed instead. */
    public void release(Channel channel, boolean reusable) {
        inFlight--;
        if (reusable && channel.isActive()) {
            offer(channel);
        } else {
            channel.close();
        }
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
        return inFlight;
    }

    public UpstreamAddress address() {
        return address;
    }

    /** Copies the counts the loop keeps for readers on other threads; call on the loop. */
    void publishGauges() {
        openPublished = open;
        idlePublished = idle.size();
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
