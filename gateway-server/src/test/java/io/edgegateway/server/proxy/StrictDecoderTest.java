package io.edgegateway.server.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The decoder as the gateway configures it, fed each body split in two at every byte and one
 * byte at a time: broken chunk framing is always a failed decoder result (never a clean end of
 * body), and well-formed framing always decodes to the same bytes.
 */
class StrictDecoderTest {

    private static final String HEAD = "POST /a HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n";

    @ParameterizedTest
    @ValueSource(strings = {
        "10000000000000000\r\nhello\r\n0\r\n\r\n", "80000000\r\nhello\r\n0\r\n\r\n", "-5\r\nhello\r\n0\r\n\r\n",
        "+5\r\nhello\r\n0\r\n\r\n", "0x5\r\nhello\r\n0\r\n\r\n", "5g\r\nhello\r\n0\r\n\r\n", " 5\r\nhello\r\n0\r\n\r\n",
        "5 \r\nhello\r\n0\r\n\r\n", "5 5\r\nhello\r\n0\r\n\r\n", "\r\nhello\r\n0\r\n\r\n", ";a\r\nhello\r\n0\r\n\r\n",
        "5\r\nhelloXX\r\n0\r\n\r\n", "3\r\nhello\r\n0\r\n\r\n", "5\nhello\r\n0\r\n\r\n", "5\r\nhello\n0\r\n\r\n",
        "5\r\nhello\r\n0\n\r\n", "5\r\nhello\r\n0\r\n\n", "5\r\nhello\r\n0\r\nX: 1\n\r\n", "5\rhello\r\n0\r\n\r\n",
        "5;a\nb\r\nhello\r\n0\r\n\r\n", "5;a\rb\r\nhello\r\n0\r\n\r\n", "5;a=\"b\r\nhello\r\n0\r\n\r\n",
        "a\r\nhello\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n"})
    void brokenFramingFailsAtEverySplit(String body) {
        byte[] bytes = (HEAD + body).getBytes(StandardCharsets.ISO_8859_1);
        for (int split = 0; split <= bytes.length; split++) {
            assertThat(decode(bytes, split).failed).as("split at %d", split).isTrue();
        }
        assertThat(decodeByteByByte(bytes).failed).as("one byte at a time").isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "5\r\nhello\r\n0\r\n\r\n", "5 ;ext\r\nhello\r\n0\r\n\r\n", "5\t;e=1\r\nhello\r\n0\r\n\r\n",
        "5;n=\"q \\\" v\"\r\nhello\r\n0\r\n\r\n", "0000000005\r\nhello\r\n0\r\n\r\n",
        "2\r\nhe\r\n3\r\nllo\r\n0\r\nX-T: 1\r\n\r\n"})
    void wellFormedFramingDecodesTheSameAtEverySplit(String body) {
        byte[] bytes = (HEAD + body).getBytes(StandardCharsets.ISO_8859_1);
        for (int split = 0; split <= bytes.length; split++) {
            Decoded decoded = decode(bytes, split);
            assertThat(decoded.failed).as("split at %d", split).isFalse();
            assertThat(decoded.ended).as("split at %d", split).isTrue();
            assertThat(decoded.body()).as("split at %d", split).isEqualTo("hello");
        }
        Decoded byteByByte = decodeByteByByte(bytes);
        assertThat(byteByByte.failed).isFalse();
        assertThat(byteByByte.body()).isEqualTo("hello");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "GET / HTTP/1.1\nHost: a\r\n\r\n", "GET / HTTP/1.1\r\nHost: a\nX: 1\r\n\r\n", "GET / HTTP/1.1\r\nHost: a\r\n\n",
        "GET / HTTP/1.1\r\nHost: a\rX: 1\r\n\r\n", "GE(T / HTTP/1.1\r\nHost: a\r\n\r\n",
        "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
        "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab",
        "POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"})
    void brokenHeadsFailAtEverySplit(String head) {
        byte[] bytes = head.getBytes(StandardCharsets.ISO_8859_1);
        for (int split = 0; split <= bytes.length; split++) {
            assertThat(decode(bytes, split).failed).as("split at %d", split).isTrue();
        }
    }

    private static Decoded decode(byte[] bytes, int split) {
        EmbeddedChannel channel = newChannel();
        channel.writeInbound(Unpooled.wrappedBuffer(bytes, 0, split));
        channel.writeInbound(Unpooled.wrappedBuffer(bytes, split, bytes.length - split));
        return drain(channel);
    }

    private static Decoded decodeByteByByte(byte[] bytes) {
        EmbeddedChannel channel = newChannel();
        for (byte b : bytes) {
            channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {b}));
        }
        return drain(channel);
    }

    private static EmbeddedChannel newChannel() {
        return new EmbeddedChannel(new HttpServerCodec(ProxyChannelInitializer.decoderConfig(16 * 1024)));
    }

    private static Decoded drain(EmbeddedChannel channel) {
        Decoded decoded = new Decoded();
        List<Object> messages = new ArrayList<>();
        Object message;
        while ((message = channel.readInbound()) != null) {
            messages.add(message);
        }
        channel.finishAndReleaseAll();
        for (Object each : messages) {
            try {
                HttpObject object = (HttpObject) each;
                if (object.decoderResult().isFailure()) {
                    decoded.failed = true;
                }
                if (object instanceof HttpContent content && !decoded.ended) {
                    ByteBuf data = content.content();
                    data.getBytes(data.readerIndex(), decoded.body, data.readableBytes());
                    decoded.ended = content instanceof LastHttpContent && content.decoderResult().isSuccess();
                }
            } catch (java.io.IOException e) {
                throw new AssertionError(e);
            } finally {
                ReferenceCountUtil.release(each);
            }
        }
        return decoded;
    }

    private static final class Decoded {
        boolean failed;
        boolean ended;
        final ByteArrayOutputStream body = new ByteArrayOutputStream();

        String body() {
            return body.toString(StandardCharsets.ISO_8859_1);
        }
    }
}
