package io.edgegateway.server.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgegateway.config.Http2FloodLimits;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.util.concurrent.MockTicker;
import io.netty.util.concurrent.Ticker;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The frame counter on its own, fed bytes by hand and driven by a mock clock. */
class Http2FrameRateGuardTest {

    private static final byte[] PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final int DATA = 0x0;
    private static final int HEADERS = 0x1;
    private static final int PRIORITY = 0x2;
    private static final int SETTINGS = 0x4;
    private static final int PING = 0x6;
    private static final int WINDOW_UPDATE = 0x8;
    private static final int CONTINUATION = 0x9;

    private final MockTicker ticker = Ticker.newMockTicker();
    private final List<Throwable> errors = new ArrayList<>();
    private EmbeddedChannel channel;

    private void start(int maxControlFrames, int maxSettings) {
        if (channel != null) {
            channel.finishAndReleaseAll();
        }
        errors.clear();
        Http2FloodLimits limits = new Http2FloodLimits(100, Duration.ofSeconds(30), maxControlFrames, maxSettings, 1000, 2, 16);
        channel = new EmbeddedChannel(new Http2FrameRateGuard(limits, ticker), new ChannelInboundHandlerAdapter() {
            @Override
            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                errors.add(cause);
            }
        });
    }

    @AfterEach
    void release() {
        channel.finishAndReleaseAll();
    }

    private static byte[] frame(int type, int payloadLength) {
        byte[] frame = new byte[9 + payloadLength];
        frame[0] = (byte) (payloadLength >>> 16);
        frame[1] = (byte) (payloadLength >>> 8);
        frame[2] = (byte) payloadLength;
        frame[3] = (byte) type;
        frame[8] = 1;
        return frame;
    }

    private static byte[] frames(int type, int payloadLength, int times) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (int i = 0; i < times; i++) {
            all.writeBytes(frame(type, payloadLength));
        }
        return all.toByteArray();
    }

    /** Writes {@code bytes} in pieces of {@code piece} bytes; returns the bytes that came out the other side. */
    private byte[] feed(byte[] bytes, int piece) {
        ByteArrayOutputStream passed = new ByteArrayOutputStream();
        for (int at = 0; at < bytes.length; at += piece) {
            channel.writeInbound(Unpooled.wrappedBuffer(bytes, at, Math.min(piece, bytes.length - at)));
            for (ByteBuf out; (out = channel.readInbound()) != null; ) {
                byte[] copy = new byte[out.readableBytes()];
                out.readBytes(copy);
                out.release();
                passed.writeBytes(copy);
            }
        }
        return passed.toByteArray();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            all.writeBytes(part);
        }
        return all.toByteArray();
    }

    @Test
    void framesUnderTheLimitPassUntouchedHoweverTheBytesAreSplit() {
        start(10, 10);
        byte[] bytes = concat(PREFACE, frame(SETTINGS, 6), frames(PING, 8, 4), frame(DATA, 40_000), frames(WINDOW_UPDATE, 4, 5));

        for (int piece : new int[] {1, 7, 9, 1000, bytes.length}) {
            start(10, 10);
            assertThat(feed(bytes, piece)).as("in pieces of %d", piece).isEqualTo(bytes);
            assertThat(errors).isEmpty();
        }
    }

    @Test
    void oneControlFrameTooManyInASecondIsEnhanceYourCalmAndTheRestIsDropped() {
        start(10, 10);

        byte[] passed = feed(concat(PREFACE, frames(PING, 8, 11)), 10_000);

        assertThat(passed).isEmpty();
        assertThat(errors).singleElement().satisfies(e ->
                assertThat(((Http2Exception) e).error()).isEqualTo(Http2Error.ENHANCE_YOUR_CALM));
        assertThat(feed(frames(PING, 8, 1), 100)).as("dropped once over").isEmpty();
    }

    @Test
    void theCountStartsAgainAfterASecond() {
        start(10, 10);
        feed(concat(PREFACE, frames(PRIORITY, 5, 10)), 10_000);

        ticker.advance(1, TimeUnit.SECONDS);
        byte[] nextSecond = frames(PRIORITY, 5, 10);

        assertThat(feed(nextSecond, 10_000)).isEqualTo(nextSecond);
        assertThat(errors).isEmpty();
        assertThat(feed(frames(PING, 8, 1), 100)).isEmpty();
        assertThat(errors).hasSize(1);
    }

    @Test
    void withinTheSecondTheCountGoesOn() {
        start(10, 10);
        feed(concat(PREFACE, frames(PRIORITY, 5, 10)), 10_000);

        ticker.advance(999, TimeUnit.MILLISECONDS);

        assertThat(feed(frames(PING, 8, 1), 100)).isEmpty();
        assertThat(errors).hasSize(1);
    }

    @Test
    void settingsHaveTheirOwnLowerLimit() {
        start(1000, 3);

        feed(concat(PREFACE, frames(SETTINGS, 12, 4)), 10_000);

        assertThat(errors).singleElement().satisfies(e -> assertThat(e).hasMessageContaining("3 SETTINGS frames"));
    }

    @Test
    void eachDataFrameSentLetsTheClientAnswerWithTwoWindowUpdatesOrPings() {
        start(10, 10);
        feed(PREFACE, 100);
        // Sixty DATA frames out, written as the codec does: each header apart from its payload.
        for (int i = 0; i < 60; i++) {
            channel.writeOutbound(Unpooled.wrappedBuffer(frame(DATA, 16_384), 0, 9), Unpooled.wrappedBuffer(new byte[16_384]));
        }
        channel.writeOutbound(Unpooled.wrappedBuffer(concat(frame(HEADERS, 3), new byte[3], frame(DATA, 5))));
        channel.releaseOutbound();
        // Their answers, and ten control frames more.
        byte[] answers = concat(frames(WINDOW_UPDATE, 4, 100), frames(PING, 8, 22), frames(WINDOW_UPDATE, 4, 10));

        assertThat(feed(answers, 10_000)).isEqualTo(answers);
        assertThat(errors).isEmpty();
        assertThat(feed(frames(WINDOW_UPDATE, 4, 1), 100)).isEmpty();
        assertThat(errors).hasSize(1);
    }

    @Test
    void requestFramesAreNotCounted() {
        start(1, 1);
        byte[] bytes = concat(PREFACE, frames(HEADERS, 20, 50), frames(CONTINUATION, 3, 50), frames(DATA, 0, 50));

        assertThat(feed(bytes, 333)).isEqualTo(bytes);
        assertThat(errors).isEmpty();
    }
}
