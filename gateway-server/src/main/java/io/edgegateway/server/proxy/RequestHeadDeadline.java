package io.edgegateway.server.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Bounds how long an HTTP/1.1 request head may take to arrive, from its first byte to its end
 * ({@code limits.header-timeout}, as nginx's {@code client_header_timeout}): the idle timeout,
 * restarted by every byte, cannot stop a head dribbled a byte at a time. Two handlers share the
 * clock: this one, in front of the decoder, sees the bytes and starts it at the first byte read
 * after a request ended; {@link #headEnd()}, behind the decoder, stops it at each decoded head and
 * notes each request's end. Past the deadline it fires {@link #EXPIRED} down the pipeline.
 *
 * <p>One check task per connection is rescheduled rather than one per request scheduled and
 * cancelled, as the response timeout does.
 */
final class RequestHeadDeadline extends ChannelInboundHandlerAdapter implements Runnable {

    /** The user event fired when a head did not arrive in time. */
    static final Object EXPIRED = new Object() {
        @Override
        public String toString() {
            return "RequestHeadDeadline.EXPIRED";
        }
    };

    private final long timeoutNanos;
    private ChannelHandlerContext ctx;
    /** The previous request ended (or none came yet): the next byte read begins a head. */
    private boolean betweenRequests = true;
    /** When the head being read must be whole, or 0 when no head is being read. */
    private long deadline;
    /** The scheduled check, or null; it reschedules itself for a later deadline. */
    private ScheduledFuture<?> check;

    RequestHeadDeadline(long timeoutNanos) {
        this.timeoutNanos = timeoutNanos;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (betweenRequests && msg instanceof ByteBuf bytes && bytes.isReadable()) {
            betweenRequests = false;
            long now = now();
            deadline = now + timeoutNanos;
            if (check == null) {
                schedule(now);
            }
        }
        ctx.fireChannelRead(msg);
    }

    /** A closed connection leaves no task in the timer queue. */
    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        cancelCheck();
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        cancelCheck();
    }

    private void cancelCheck() {
        deadline = 0;
        if (check != null) {
            check.cancel(false);
            check = null;
        }
    }

    /** The handler to place right behind the decoder. */
    ChannelHandler headEnd() {
        return new HeadEnd();
    }

    /** Stops the clock at each decoded head, and notes each request's end. */
    final class HeadEnd extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof HttpRequest) {
                deadline = 0;
            }
            if (msg instanceof LastHttpContent) {
                betweenRequests = true;
            }
            ctx.fireChannelRead(msg);
        }
    }

    /** Leaves the pipeline: what follows is no longer HTTP (a tunnel). */
    static void remove(ChannelPipeline pipeline) {
        RequestHeadDeadline deadline = pipeline.get(RequestHeadDeadline.class);
        if (deadline != null) {
            pipeline.remove(deadline);
            pipeline.remove(HeadEnd.class);
        }
    }

    @Override
    public void run() {
        long now = now();
        check = null;
        if (deadline == 0) {
            return;
        }
        if (now - deadline >= 0) {
            deadline = 0;
            ctx.fireUserEventTriggered(EXPIRED);
        } else {
            schedule(now);
        }
    }

    private void schedule(long now) {
        check = ctx.executor().schedule(this, deadline - now, TimeUnit.NANOSECONDS);
    }

    private long now() {
        return ctx.executor().ticker().nanoTime();
    }
}
