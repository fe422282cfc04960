package io.edgegateway.server.proxy;

import io.edgegateway.server.upstream.Borrower;
import io.edgegateway.server.upstream.PooledConnection;
import io.edgegateway.server.upstream.UpstreamPool;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;

/**
 * The second copy of a body-less request, sent to another upstream instance because the first
 * had not answered in time. If its response head comes first, the {@link Exchange} takes its
 * connection over and drops the first attempt; if the first answers first, or this copy fails,
 * it is cancelled: its connection is closed, never returned to the pool half-read.
 */
final class HedgeAttempt implements UpstreamListener, Borrower {

    private final Exchange exchange;
    private final UpstreamPool pool;
    private final HttpRequest request;
    private final int connectTimeoutMillis;
    private final long responseTimeoutNanos;
    private Future<PooledConnection> acquiring;
    private Channel channel;
    private ProxyBackendHandler backend;
    private long sentNanos;
    private boolean over;

    HedgeAttempt(Exchange exchange, UpstreamPool pool, HttpRequest request, int connectTimeoutMillis,
            long responseTimeoutNanos) {
        this.exchange = exchange;
        this.pool = pool;
        this.request = request;
        this.connectTimeoutMillis = connectTimeoutMillis;
        this.responseTimeoutNanos = responseTimeoutNanos;
    }

    void start() {
        acquiring = pool.lend(connectTimeoutMillis, this);
    }

    @Override
    public boolean gaveUp() {
        acquiring = null;
        return over;
    }

    @Override
    public void lent(Channel connection, boolean reused) {
        acquiring = null;
        send(connection);
    }

    @Override
    public void notLent(Throwable cause) {
        acquiring = null;
        failed();
    }

    private void send(Channel connection) {
        channel = connection;
        backend = connection.pipeline().get(ProxyBackendHandler.class);
        backend.bind(this);
        sentNanos = System.nanoTime();
        connection.write(request, connection.voidPromise());
        connection.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT, connection.voidPromise());
        backend.armResponseTimeout(responseTimeoutNanos);
    }

    @Override
    public void onResponseHead(HttpResponse response) {
        if (response.status().codeClass() == HttpStatusClass.INFORMATIONAL) {
            // A 1xx before the real answer; a GET has no reason to get one, so give the copy up.
            cancel();
            exchange.hedgeFailed(this);
            return;
        }
        backend.disarmResponseTimeout();
        exchange.hedgeAnswered(this, response);
    }

    @Override
    public void onResponseContent(HttpContent content) {
        // Only reached after this attempt was cancelled and before its connection closed.
        ReferenceCountUtil.release(content);
    }

    @Override
    public void onUpstreamReadComplete() {
    }

    @Override
    public void onUpstreamWritabilityChanged(boolean writable) {
    }

    @Override
    public void onUpstreamFailure(boolean connectionLost) {
        failed();
    }

    @Override
    public void onResponseTimeout() {
        failed();
    }

    private void failed() {
        if (!over) {
            exchange.countUpstreamError(pool, "hedge_failed");
            cancel();
            exchange.hedgeFailed(this);
        }
    }

    /** Gives the copy up: stops waiting for a connection, or closes the one it has. */
    void cancel() {
        over = true;
        if (acquiring != null) {
            acquiring.cancel(false);
            acquiring = null;
        }
        if (channel != null) {
            backend.unbind();
            pool.release(channel, false);
            channel = null;
            backend = null;
        }
    }

    /** Hands the answering connection to the exchange; this attempt is over. */
    void handOver() {
        over = true;
        channel = null;
        backend = null;
    }

    UpstreamPool pool() {
        return pool;
    }

    Channel channel() {
        return channel;
    }

    ProxyBackendHandler backend() {
        return backend;
    }

    long sentNanos() {
        return sentNanos;
    }
}
