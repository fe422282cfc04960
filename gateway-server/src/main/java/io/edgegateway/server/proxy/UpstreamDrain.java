package io.edgegateway.server.proxy;

import io.edgegateway.server.upstream.UpstreamPool;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.concurrent.TimeUnit;

/**
 * Reads and discards the rest of a response whose client went away (an HTTP/2 stream reset, an
 * HTTP/1.1 client gone mid-response), so that its upstream connection goes back to the pool
 * instead of being closed: a client that resets streams in a loop would otherwise cost the upstream
 * one new connection per stream. Bounded by {@link #MAX_BYTES} of body and {@link #MAX_NANOS}; past
 * either, or on a response that does not keep its connection, the connection is closed after all.
 * Only a request sent upstream whole may be drained: an upstream still waiting for the rest of a
 * body is mid-request, and its connection cannot carry another.
 */
final class UpstreamDrain implements UpstreamListener {

    static final long MAX_BYTES = 64 * 1024;
    static final long MAX_NANOS = TimeUnit.SECONDS.toNanos(2);

    private final ProxyContext context;
    private final UpstreamPool pool;
    private final Channel channel;
    private final ProxyBackendHandler backend;
    private boolean skippingInformational;
    private boolean keepAlive;
    private long bytes;
    private boolean over;

    private UpstreamDrain(ProxyContext context, UpstreamPool pool, Channel channel, ProxyBackendHandler backend,
            boolean keepAlive, boolean skippingInformational) {
        this.context = context;
        this.pool = pool;
        this.channel = channel;
        this.backend = backend;
        this.keepAlive = keepAlive;
        this.skippingInformational = skippingInformational;
    }

    /**
     * Takes over {@code channel}, lent from {@code pool}, whose response is still to come (or to come
     * whole); {@code responseStarted} tells whether its head was read already, {@code keepAlive} then
     * whether it keeps the connection.
     */
    static void start(ProxyContext context, UpstreamPool pool, Channel channel, ProxyBackendHandler backend,
            boolean responseStarted, boolean keepAlive, boolean skippingInformational) {
        UpstreamDrain drain = new UpstreamDrain(context, pool, channel, backend, !responseStarted || keepAlive,
                skippingInformational);
        backend.bind(drain);
        if (!drain.keepAlive) {
            drain.finish(false);
            return;
        }
        backend.disarmResponseTimeout();
        backend.armResponseTimeout(MAX_NANOS);
        channel.config().setAutoRead(true);
    }

    @Override
    public void onResponseHead(HttpResponse response) {
        if (response.status().codeClass() == HttpStatusClass.INFORMATIONAL) {
            // A 101 makes the connection another protocol's; any other 1xx precedes the real answer.
            if (response.status().code() == 101) {
                finish(false);
            } else {
                skippingInformational = true;
            }
            return;
        }
        keepAlive = HttpUtil.isKeepAlive(response);
        if (!keepAlive) {
            finish(false);
        }
    }

    @Override
    public void onResponseContent(HttpContent content) {
        bytes += content.content().readableBytes();
        boolean last = content instanceof LastHttpContent;
        content.release();
        if (over) {
            return;
        }
        if (skippingInformational) {
            skippingInformational = !last;
        } else if (last) {
            finish(true);
        } else if (bytes > MAX_BYTES) {
            finish(false);
        }
    }

    @Override
    public void onUpstreamReadComplete() {
    }

    @Override
    public void onUpstreamWritabilityChanged(boolean writable) {
    }

    @Override
    public void onUpstreamFailure(boolean connectionLost) {
        finish(false);
    }

    @Override
    public void onResponseTimeout() {
        finish(false);
    }

    private void finish(boolean reusable) {
        if (over) {
            return;
        }
        over = true;
        backend.unbind();
        boolean reused = reusable && channel.isActive();
        pool.release(channel, reused);
        context.countDrain(reused);
    }
}
