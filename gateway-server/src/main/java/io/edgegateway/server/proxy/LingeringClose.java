package io.edgegateway.server.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Closes a client connection after the gateway's own answer without losing that answer, as nginx's
 * lingering close does. A client that writes its whole request before reading (a 40 KB head, a
 * 3 MB body) still has bytes on their way when the gateway answers 431 or 413; closing a socket
 * with unread input makes the kernel send a reset, which can overtake the response. So the output
 * is shut down once the response is flushed (the client reads it whole, then EOF), and what the
 * client still sends is read and dropped until it closes, falls silent, or a bound is reached.
 *
 * <p>Placed first in the pipeline: nothing read after the answer reaches TLS, the decoder or the
 * proxy handler, so nothing more is decoded and the bytes are released here; what was decoded
 * before stays queued behind and is released when the connection closes. Only the closing passes on. A channel that cannot half-close (an HTTP/2 stream) is simply closed.
 */
final class LingeringClose extends ChannelInboundHandlerAdapter implements Runnable {

    /**
     * Bytes read and dropped at most. More than a large body a client writes whole before reading
     * (a client uploading more than this gets the reset it would get anyway), small enough that a
     * client cannot keep the gateway reading at line rate.
     */
    static final long MAX_BYTES = 16L << 20;
    /** The longest the connection lingers at all (nginx's {@code lingering_time} is 30s too). */
    static final long TIME_NANOS = TimeUnit.SECONDS.toNanos(30);
    /** Silence that ends lingering: the client has sent all it meant to (nginx's {@code lingering_timeout}). */
    static final long TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(5);

    /** Add to the write of the last response: then linger, or close if the write failed. */
    static final ChannelFutureListener AFTER_RESPONSE = future -> {
        if (future.isSuccess()) {
            start(future.channel(), MAX_BYTES, TIME_NANOS, TIMEOUT_NANOS);
        } else {
            future.channel().close();
        }
    };

    private final long maxBytes;
    private final long timeoutNanos;
    private final long timeNanos;
    private ChannelHandlerContext ctx;
    private long bytes;
    private long endNanos;
    private long lastReadNanos;
    private ScheduledFuture<?> check;

    private LingeringClose(long maxBytes, long timeNanos, long timeoutNanos) {
        this.maxBytes = maxBytes;
        this.timeNanos = timeNanos;
        this.timeoutNanos = timeoutNanos;
    }

    /**
     * Starts lingering on {@code channel}, whose last response was flushed; called on its event loop.
     * Bounds are in bytes dropped, nanoseconds in all, and nanoseconds of silence.
     */
    static void start(Channel channel, long maxBytes, long timeNanos, long timeoutNanos) {
        if (!(channel instanceof DuplexChannel duplex) || !channel.isActive()) {
            channel.close();
            return;
        }
        if (channel.pipeline().get(LingeringClose.class) != null) {
            return;
        }
        channel.pipeline().addFirst("linger", new LingeringClose(maxBytes, timeNanos, timeoutNanos));
        SslHandler tls = channel.pipeline().get(SslHandler.class);
        ChannelFuture done = tls != null ? tls.closeOutbound() : channel.newSucceededFuture();
        done.addListener(sent -> {
            if (sent.isSuccess()) {
                duplex.shutdownOutput();
            } else {
                channel.close();
            }
        });
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        long now = now();
        endNanos = now + timeNanos;
        lastReadNanos = now;
        schedule(Math.min(timeNanos, timeoutNanos));
        // Reads are asked for here, not by auto-read: a read asked for at the pipeline's tail would
        // pass the flow-control handler, which would hand the proxy a request decoded behind this answer.
        ctx.read();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ByteBuf buf) {
            bytes += buf.readableBytes();
        }
        ReferenceCountUtil.release(msg);
        lastReadNanos = now();
        if (bytes > maxBytes) {
            ctx.close();
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        // kept from the handlers behind, which are done with this connection
        ctx.read();
    }

    /** The client closed its side (where half-closure is allowed): it sends nothing more. */
    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof ChannelInputShutdownEvent) {
            ctx.close();
        }
        ReferenceCountUtil.release(event);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        cancelCheck();
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        cancelCheck();
    }

    @Override
    public void run() {
        check = null;
        long now = now();
        long silentUntil = lastReadNanos + timeoutNanos;
        if (now - endNanos >= 0 || now - silentUntil >= 0) {
            ctx.close();
        } else {
            schedule(Math.min(endNanos, silentUntil) - now);
        }
    }

    private void schedule(long delayNanos) {
        check = ctx.executor().schedule(this, delayNanos, TimeUnit.NANOSECONDS);
    }

    private void cancelCheck() {
        if (check != null) {
            check.cancel(false);
            check = null;
        }
    }

    private long now() {
        return ctx.executor().ticker().nanoTime();
    }
}
