package io.edgegateway.server.proxy;

import io.edgegateway.config.Http2FloodLimits;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2FrameTypes;
import io.netty.util.concurrent.Ticker;
import java.util.concurrent.TimeUnit;

/**
 * Counts a client's HTTP/2 control frames per second, from the frame headers in the bytes on their
 * way to the frame codec (read in place, passed on untouched). Netty's codec bounds resets, empty
 * DATA frames, small CONTINUATION frames and unread acknowledgements, but not how many SETTINGS,
 * PING, PRIORITY or WINDOW_UPDATE frames it processes; and it drops some (a WINDOW_UPDATE or
 * RST_STREAM for a closed stream) before any listener could count them. Every frame header is
 * counted here, whatever the codec makes of the frame.
 *
 * <p>A client that receives data answers it with WINDOW_UPDATE frames (and, gRPC's, with PINGs
 * that measure its bandwidth): for each DATA frame the gateway sends, the client may send two of
 * them beyond the per-second limit, so a fast download with small windows is never cut.
 *
 * <p>Over a limit, the codec is handed a connection error ENHANCE_YOUR_CALM, which it answers with
 * GOAWAY and a close; from then on what the client sends is dropped unread.
 */
final class Http2FrameRateGuard extends ChannelDuplexHandler {

    private static final long WINDOW_NANOS = TimeUnit.SECONDS.toNanos(1);
    /** WINDOW_UPDATE or PING frames each DATA frame sent may bring back: one for its stream, one for the connection. */
    private static final int ANSWERS_PER_DATA_FRAME = 2;

    private final int maxControlFrames;
    private final int maxSettingsFrames;
    private final Ticker ticker;
    private final Http2FrameHeaders inbound = new Http2FrameHeaders(Http2FrameHeaders.CLIENT_PREFACE_LENGTH);
    private final Http2FrameHeaders outbound = new Http2FrameHeaders(0);

    private long windowStart;
    private int controlFrames;
    private int settingsFrames;
    /** WINDOW_UPDATE and PING frames the DATA frames sent so far account for. */
    private long answersDue;
    private boolean exceeded;

    Http2FrameRateGuard(Http2FloodLimits limits, Ticker ticker) {
        this.maxControlFrames = limits.maxControlFramesPerSecond();
        this.maxSettingsFrames = limits.maxSettingsPerSecond();
        this.ticker = ticker;
        this.windowStart = ticker.nanoTime();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf in)) {
            ctx.fireChannelRead(msg);
            return;
        }
        if (exceeded) {
            in.release();
            return;
        }
        String limit = countInbound(in);
        if (limit == null) {
            ctx.fireChannelRead(in);
            return;
        }
        exceeded = true;
        in.release();
        ctx.fireExceptionCaught(Http2Exception.connectionError(Http2Error.ENHANCE_YOUR_CALM,
                "more than %s per second", limit));
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof ByteBuf out) {
            for (int at = out.readerIndex(); (at = outbound.next(out, at)) >= 0; ) {
                if (outbound.type() == Http2FrameTypes.DATA) {
                    answersDue += ANSWERS_PER_DATA_FRAME;
                }
            }
        }
        ctx.write(msg, promise);
    }

    /** Counts the frames that start in {@code in}; the limit exceeded, or null. The clock is read once per read. */
    private String countInbound(ByteBuf in) {
        long now = ticker.nanoTime();
        if (now - windowStart >= WINDOW_NANOS) {
            windowStart = now;
            controlFrames = 0;
            settingsFrames = 0;
        }
        for (int at = in.readerIndex(); (at = inbound.next(in, at)) >= 0; ) {
            String limit = count(inbound.type());
            if (limit != null) {
                return limit;
            }
        }
        return null;
    }

    private String count(int type) {
        if (type == Http2FrameTypes.DATA || type == Http2FrameTypes.HEADERS || type == Http2FrameTypes.CONTINUATION) {
            return null; // requests: bounded by flow control, stream limits and the header list size
        }
        if ((type == Http2FrameTypes.WINDOW_UPDATE || type == Http2FrameTypes.PING) && answersDue > 0) {
            answersDue--;
            return null;
        }
        if (type == Http2FrameTypes.SETTINGS && ++settingsFrames > maxSettingsFrames) {
            return maxSettingsFrames + " SETTINGS frames";
        }
        return ++controlFrames > maxControlFrames ? maxControlFrames + " control frames" : null;
    }
}
