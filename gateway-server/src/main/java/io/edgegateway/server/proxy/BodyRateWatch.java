package io.edgegateway.server.proxy;

import io.edgegateway.config.MinBodyRate;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.concurrent.TimeUnit;

/**
 * Holds each request body of one client connection (or HTTP/2 stream) to {@code limits.min-body-rate}:
 * the client handler reports the heads, its reads and the pieces that answer them; one check task per
 * connection is scheduled for the end of the current window, and only while a read is out (a paused
 * body schedules nothing). A body under the rate calls {@code tooSlow}, once.
 */
final class BodyRateWatch implements Runnable {

    private final BodyRateCheck check;
    private final ChannelHandlerContext ctx;
    private final Runnable tooSlow;
    private boolean inBody;
    private boolean checkPending;

    private BodyRateWatch(BodyRateCheck check, ChannelHandlerContext ctx, Runnable tooSlow) {
        this.check = check;
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
        inBody = check != null
                && (HttpUtil.isTransferEncodingChunked(head) || HttpUtil.getContentLength(head, 0L) > 0);
        if (inBody) {
            check.start();
        }
    }

    /** The handler asked the client for the next piece. */
    void reading() {
        if (!inBody) {
            return;
        }
        long now = now();
        check.waiting(now);
        if (!checkPending) {
            schedule(check.nanosLeftInWindow(now));
        }
    }

    /** A piece arrived; call before it is handed on (and perhaps released). */
    void received(HttpContent content) {
        if (inBody) {
            check.received(content.content().readableBytes(), now());
            inBody = !(content instanceof LastHttpContent);
        }
    }

    /** The connection closed: nothing more to watch. */
    void stop() {
        inBody = false;
    }

    @Override
    public void run() {
        checkPending = false;
        if (!inBody) {
            return;
        }
        long now = now();
        if (check.tooSlow(now)) {
            inBody = false;
            tooSlow.run();
        } else if (check.isWaiting()) {
            schedule(check.nanosLeftInWindow(now));
        }
    }

    private void schedule(long delayNanos) {
        checkPending = true;
        ctx.executor().schedule(this, delayNanos, TimeUnit.NANOSECONDS);
    }

    private long now() {
        return ctx.executor().ticker().nanoTime();
    }
}
