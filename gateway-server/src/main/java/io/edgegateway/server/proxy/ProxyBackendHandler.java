package io.edgegateway.server.proxy;

import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The upstream side of the proxy: one per pooled upstream connection, bound to the exchange (or
 * hedge attempt) that has borrowed the connection and unbound while the connection idles in its pool.
 */
public final class ProxyBackendHandler extends ChannelInboundHandlerAdapter {

    private final Runnable checkResponseTimeout = this::checkResponseTimeout;
    private final ChannelFutureListener armWhenWritten = this::lastRequestPieceWritten;
    private ChannelHandlerContext ctx;
    private UpstreamListener exchange;
    /** When the bound exchange's response head is due, or 0 when it is not awaited. */
    private long responseDeadline;
    /** When the latest scheduled check runs, or 0 when none is pending. */
    private long checkScheduledFor;
    /**
     * The latest scheduled check, cancelled when the channel closes: it holds the channel, and an
     * HTTP/2 upstream stream is a channel that closes after one request, with its check still
     * {@code timeouts.response} away. Not on {@code channelInactive}, which {@link
     * Http2UpstreamMessages} keeps to itself after a whole response.
     */
    private ScheduledFuture<?> check;
    /** The write of the bound exchange's last request piece, which arms the response timeout; or null. */
    private ChannelFuture armingWrite;
    private long armingTimeoutNanos;

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    void bind(UpstreamListener exchange) {
        this.exchange = exchange;
    }

    void unbind() {
        this.exchange = null;
        this.responseDeadline = 0;
        this.armingWrite = null;
    }

    /**
     * Gives the bound exchange's response head {@code timeoutNanos} to arrive. One check task per
     * connection is rescheduled rather than one task per request scheduled and cancelled, so a
     * busy connection costs the timer queue nothing per request.
     */
    void armResponseTimeout(long timeoutNanos) {
        long now = System.nanoTime();
        responseDeadline = now + timeoutNanos;
        scheduleCheck(now);
    }

    /**
     * A promise for the write of the request's last piece: once it is written (a body may take long
     * to go out to a slow upstream), the response head gets {@code timeoutNanos} to arrive.
     */
    ChannelPromise armResponseTimeoutOnceWritten(long timeoutNanos) {
        ChannelPromise promise = ctx.newPromise();
        armingWrite = promise;
        armingTimeoutNanos = timeoutNanos;
        promise.addListener(armWhenWritten);
        return promise;
    }

    private void lastRequestPieceWritten(ChannelFuture written) {
        if (written != armingWrite) {
            return; // disarmed, or a write of an exchange no longer bound
        }
        armingWrite = null;
        if (written.isSuccess() && exchange != null) {
            armResponseTimeout(armingTimeoutNanos);
        }
    }

    void disarmResponseTimeout() {
        responseDeadline = 0;
        armingWrite = null;
    }

    private void scheduleCheck(long now) {
        if (checkScheduledFor == 0 || checkScheduledFor - responseDeadline > 0) {
            checkScheduledFor = responseDeadline;
            check = ctx.executor().schedule(checkResponseTimeout, responseDeadline - now, TimeUnit.NANOSECONDS);
        }
    }

    private void checkResponseTimeout() {
        long now = System.nanoTime();
        if (now - checkScheduledFor >= 0) {
            checkScheduledFor = 0;
            check = null;
        }
        if (responseDeadline == 0 || exchange == null) {
            return;
        }
        if (now - responseDeadline >= 0) {
            responseDeadline = 0;
            exchange.onResponseTimeout();
        } else {
            scheduleCheck(now);
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (exchange == null) {
            // An idle connection must not speak: whatever it says, it cannot be trusted again.
            ReferenceCountUtil.release(msg);
            ctx.close();
            return;
        }
        if (msg instanceof HttpObject object && object.decoderResult().isFailure()) {
            ReferenceCountUtil.release(msg);
            UpstreamListener current = exchange;
            ctx.close();
            current.onUpstreamFailure(false);
            return;
        }
        if (msg instanceof HttpResponse response) {
            exchange.onResponseHead(response);
        } else if (msg instanceof HttpContent content) {
            exchange.onResponseContent(content);
        } else {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (exchange != null) {
            exchange.onUpstreamReadComplete();
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (exchange != null) {
            exchange.onUpstreamWritabilityChanged(ctx.channel().isWritable());
        }
    }

    /** The channel closed (its pipeline is taken down then, whatever the handlers before this one passed on). */
    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        if (check != null) {
            check.cancel(false);
            check = null;
            checkScheduledFor = 0;
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (exchange != null) {
            exchange.onUpstreamFailure(true);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        UpstreamListener current = exchange;
        ctx.close();
        if (current != null) {
            current.onUpstreamFailure(true);
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof IdleStateEvent && exchange == null) {
            ctx.close();
        }
        ReferenceCountUtil.release(event);
    }
}
