package io.edgegateway.loadtest.run;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseDecoder;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.net.SocketAddress;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * One keep-alive connection's share of the schedule, driven on its event loop. It carries one
 * request at a time: the next goes at its intended time, or at once when the previous answer comes
 * later than that, and its latency still counts from the intended time, so a stalled server makes
 * every request it delays slower instead of making the generator send fewer (wrk2's correction of
 * coordinated omission). A lost connection fails the request in flight and is opened again for the
 * next one.
 */
final class ConnectionDriver {

    private final EventLoop loop;
    private final Bootstrap bootstrap;
    private final SocketAddress address;
    private final Schedule schedule;
    private final RequestTemplate request;
    private final UserPicker users;
    private final SplittableRandom random;
    private final LoopRecorder recorder;
    private final int stride;
    private final Runnable onFinished;
    private final Runnable timerFired = this::timerFired;

    private long startNanos;
    private Channel channel;
    private boolean connecting;
    private long index;
    private long intendedOffset;
    private long sentOffset;
    private boolean inFlight;
    private boolean finished;
    private boolean timerPending;
    private int status;
    private boolean closeAfterAnswer;

    ConnectionDriver(EventLoop loop, Bootstrap bootstrap, SocketAddress address, Schedule schedule,
            RequestTemplate request, UserPicker users, SplittableRandom random, LoopRecorder recorder,
            int first, int stride, Runnable onFinished) {
        this.loop = loop;
        this.bootstrap = bootstrap;
        this.address = address;
        this.schedule = schedule;
        this.request = request;
        this.users = users;
        this.random = random;
        this.recorder = recorder;
        this.index = first;
        this.stride = stride;
        this.onFinished = onFinished;
    }

    /** Opens the connection ahead of the run, so connecting is not in the first requests' latency. */
    ChannelFuture connect() {
        connecting = true;
        ChannelFuture future = bootstrap.clone(loop).handler(new Responses()).connect(address);
        future.addListener((ChannelFuture done) -> {
            connecting = false;
            if (done.isSuccess()) {
                channel = done.channel();
            }
        });
        return future;
    }

    /** Starts the schedule, whose time zero is {@code startNanos} ({@link System#nanoTime()}); call on the loop. */
    void start(long startNanos) {
        this.startNanos = startNanos;
        intendedOffset = schedule.offsetNanos(index);
        sendDue();
    }

    /** Fails the request in flight if it has waited longer than {@code timeoutNanos}; call on the loop. */
    void expire(long timeoutNanos) {
        if (inFlight && offset() - sentOffset > timeoutNanos) {
            inFlight = false;
            recorder.failed(intendedOffset, offset(), "timeout");
            Channel stale = channel;
            channel = null;
            if (stale != null) {
                stale.close();
            }
            advance();
        }
    }

    private void timerFired() {
        timerPending = false;
        if (!inFlight && !connecting && intendedOffset != Long.MAX_VALUE) {
            // Late only because this loop was busy: the generator's own lag, not the server's.
            recorder.sendLag(offset() - intendedOffset);
        }
        sendDue();
    }

    private void sendDue() {
        if (finished || inFlight || connecting || timerPending) {
            return;
        }
        if (intendedOffset == Long.MAX_VALUE) {
            finish();
            return;
        }
        long now = offset();
        if (intendedOffset > now) {
            timerPending = true;
            loop.schedule(timerFired, intendedOffset - now, TimeUnit.NANOSECONDS);
            return;
        }
        if (channel == null || !channel.isActive()) {
            reconnect();
            return;
        }
        inFlight = true;
        status = 0;
        sentOffset = now;
        recorder.sent(now);
        channel.writeAndFlush(request.write(channel.alloc(), users.sendsIdentity() ? users.next(random) : 0), channel.voidPromise());
    }

    private void reconnect() {
        connect().addListener((ChannelFuture done) -> {
            if (!done.isSuccess()) {
                recorder.sent(offset());
                recorder.failed(intendedOffset, offset(), "connect");
                advance();
                return;
            }
            sendDue();
        });
    }

    private void advance() {
        index += stride;
        intendedOffset = schedule.offsetNanos(index);
        sendDue();
    }

    private void finish() {
        finished = true;
        if (channel != null) {
            channel.close();
        }
        onFinished.run();
    }

    private long offset() {
        return System.nanoTime() - startNanos;
    }

    /** Reads the answers on this driver's current connection. */
    private final class Responses extends ChannelInboundHandlerAdapter {

        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            ctx.pipeline().addBefore(ctx.name(), null, new HttpResponseDecoder());
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object message) {
            try {
                if (ctx.channel() != channel || !inFlight) {
                    return;
                }
                if (message instanceof HttpResponse response) {
                    status = response.status().code();
                    closeAfterAnswer = !HttpUtil.isKeepAlive(response);
                    if (response.decoderResult().isFailure()) {
                        fail(ctx, "malformed");
                        return;
                    }
                }
                if (message instanceof LastHttpContent) {
                    inFlight = false;
                    recorder.answered(intendedOffset, sentOffset, offset(), status);
                    if (closeAfterAnswer) {
                        channel = null;
                        ctx.close();
                    }
                    advance();
                }
            } finally {
                ReferenceCountUtil.release(message);
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (ctx.channel() == channel) {
                channel = null;
                if (inFlight) {
                    fail(ctx, "closed");
                }
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (ctx.channel() == channel && inFlight) {
                fail(ctx, "closed");
            }
            ctx.close();
        }

        private void fail(ChannelHandlerContext ctx, String cause) {
            inFlight = false;
            channel = null;
            ctx.close();
            recorder.failed(intendedOffset, offset(), cause);
            advance();
        }
    }
}
