package io.edgegateway.server.proxy;

import io.edgegateway.config.Http2FloodLimits;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2FrameTypes;
import io.netty.util.concurrent.Ticker;
import java.util.concurrent.TimeUnit;

/**
 * Counts a client's HTTP/2 control frames per second, from the 9-byte frame headers in the bytes on
 * their way to the frame codec (read in place, passed on untouched). Netty's codec bounds resets,
 * empty DATA frames, small CONTINUATION frames and unread acknowledgements, but not how many
 * SETTINGS, PING, PRIORITY or WINDOW_UPDATE frames it processes; and it ignores some (a
 * WINDOW_UPDATE or RST_STREAM for a closed stream) before any listener could count them. Counting
 * every frame header here sees them all, whatever the codec makes of them.
 *
 * <p>Over a limit, the codec is handed a connection error ENHANCE_YOUR_CALM, which it answers with
 * GOAWAY and a close; from then on what the client sends is dropped unread.
 */
final class Http2FrameRateGuard extends ChannelInboundHandlerAdapter {

    /** The client's connection preface, {@code PRI * HTTP/2.0...}, comes before the first frame. */
    private static final int PREFACE_LENGTH = 24;
    private static final int FRAME_HEADER_LENGTH = 9;
    /** Length (3 bytes), type and flags: the first five bytes of a frame header. */
    private static final int HEADER_BYTES_KEPT = 5;
    private static final long WINDOW_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final int maxControlFrames;
    private final int maxSettingsFrames;
    private final Ticker ticker;

    /** Bytes still to pass over: the preface, then each frame's payload. */
    private long skip = PREFACE_LENGTH;
    private int headerBytesRead;
    private long header;
    private long windowStart;
    private int controlFrames;
    private int settingsFrames;
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
        String limit = count(in);
        if (limit == null) {
            ctx.fireChannelRead(in);
            return;
        }
        exceeded = true;
        in.release();
        ctx.fireExceptionCaught(Http2Exception.connectionError(Http2Error.ENHANCE_YOUR_CALM,
                "more than %s per second", limit));
    }

    /** Counts the frames that start in {@code in}; the limit exceeded, or null. The clock is read once per read. */
    private String count(ByteBuf in) {
        long now = ticker.nanoTime();
        if (now - windowStart >= WINDOW_NANOS) {
            windowStart = now;
            controlFrames = 0;
            settingsFrames = 0;
        }
        int at = in.readerIndex();
        int end = in.writerIndex();
        while (at < end) {
            if (skip > 0) {
                int skipped = (int) Math.min(skip, end - at);
                at += skipped;
                skip -= skipped;
                continue;
            }
            if (headerBytesRead < HEADER_BYTES_KEPT) {
                header = (header << 8) | in.getUnsignedByte(at);
            }
            at++;
            if (++headerBytesRead == FRAME_HEADER_LENGTH) {
                int type = (int) (header >>> 8) & 0xFF;
                skip = header >>> 16;
                header = 0;
                headerBytesRead = 0;
                String limit = countFrame(type);
                if (limit != null) {
                    return limit;
                }
            }
        }
        return null;
    }

    private String countFrame(int type) {
        if (type == Http2FrameTypes.DATA || type == Http2FrameTypes.HEADERS || type == Http2FrameTypes.CONTINUATION) {
            return null; // requests: bounded by flow control, stream limits and the header list size
        }
        if (type == Http2FrameTypes.SETTINGS && ++settingsFrames > maxSettingsFrames) {
            return maxSettingsFrames + " SETTINGS frames";
        }
        return ++controlFrames > maxControlFrames ? maxControlFrames + " control frames" : null;
    }
}
