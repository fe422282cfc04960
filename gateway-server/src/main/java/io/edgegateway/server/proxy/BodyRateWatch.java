package io.edgegateway.server.proxy;

import io.edgegateway.config.MinBodyRate;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Holds each request body of one client connection (or HTTP/2 stream) to {@code limits.min-body-rate}:
 * the client handler reports the heads, its reads and the pieces that answer them; one check task per
 * connection is scheduled for the end of the current window, and only while a read is out (a paused
 * body schedules nothing). A body under the rate calls {@code tooSlow}, once.
 */
final class BodyRateWatch implements Runnable {

    private final BodyRateCheck rate;
    private final ChannelHandlerContext ctx;
    private final Runnable tooSlow;
    private boolean inBody;
    /** The scheduled check, or null. */
    private ScheduledFuture<?> check;

    private BodyRateWatch(BodyRateCheck rate, ChannelHandlerContext ctx, Runnable tooSlow) {
        this.rate = rate;
        this.ctx = ctx;
        this.tooSlow = tooSlow;
    }

    /** A watch that never fires when the rate is off. */
    static BodyRateWatch of(MinBodyRate rate, ChannelHandlerContext ctx, Runnable tooSlow) {
        BodyRateCheck check = rate.enabled() ? new BodyRateCheck(rate.bytes(), rate.window().toNanos()) : null;
        return new BodyRateWatch(check, ctx, tooSlow);
    }

    /** A request head arrived: if a body follows, it is watched from the first read of it. */
    void requestHead(HttpRequest head) {
        inBody = rate != null
                && (HttpUtil.isTransferEncodingChunked(head) || HttpUtil.getContentLength(head, 0L) > 0);
        if (inBody) {
            rate.start();
        }
    }

    /** The handler asked the client for the next piece. */
    void reading() {
        if (!inBody) {
            return;
        }
        long now = now();
        rate.waiting(now);
        if (check == null) {
            schedule(rate.nanosLeftInWindow(now));
        }
    }

    /** A piece arrived; call before it is handed on (and perhaps released). */
    void received(HttpContent content) {
        if (inBody) {
            rate.received(content.content().readableBytes(), now());
            inBody = !(content instanceof LastHttpContent);
        }
    }

    /** The connection closed: nothing more to watch, and no task left in the timer queue. */
    void stop() {
        inBody = false;
        if (check != null) {
            check.cancel(false);
            check = null;
        }
    }

    @Override
    public void run() {
        check = null;
        if (!inBody) {
            return;
        }
        long now = now();
        if (rate.tooSlow(now)) {
            inBody = false;
            tooSlow.run();
        } else if (rate.isWaiting()) {
            schedule(rate.nanosLeftInWindow(now));
        }
    }

    private void schedule(long delayNanos) {
        check = ctx.executor().schedule(this, delayNanos, TimeUnit.NANOSECONDS);
    }

    private long now() {
        return ctx.executor().ticker().nanoTime();
    }
}
