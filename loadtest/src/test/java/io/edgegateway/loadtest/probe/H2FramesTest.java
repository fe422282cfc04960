package io.edgegateway.loadtest.probe;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class H2FramesTest {

    private static byte[] bytes(int... values) {
        byte[] out = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (byte) values[i];
        }
        return out;
    }

    @Test
    void framesHaveTheNineByteHeader() {
        assertArrayEquals(bytes(0, 0, 4, 0x3, 0, 0, 0, 0, 5, 0, 0, 0, 8), H2Frames.rstStream(5, H2Frames.CANCEL));
        assertArrayEquals(bytes(0, 0, 4, 0x8, 0, 0, 0, 0, 0, 0, 0, 0, 1), H2Frames.windowUpdate(0, 1));
        assertArrayEquals(bytes(0, 0, 0, 0x4, 0, 0, 0, 0, 0), H2Frames.settings());
        assertArrayEquals(bytes(0, 0, 0, 0x4, 1, 0, 0, 0, 0), H2Frames.settingsAck());
        assertArrayEquals(bytes(0, 0, 0, 0x0, 0, 0, 0, 0, 1), H2Frames.emptyData(1));
        assertArrayEquals(bytes(0, 0, 5, 0x2, 0, 0, 0, 0, 3, 0, 0, 0, 0, 15), H2Frames.priority(3));
        assertArrayEquals(bytes(0, 0, 8, 0x6, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 7), H2Frames.ping(7));
        byte[] headers = H2Frames.headers(1, true, bytes(0x82));
        assertArrayEquals(bytes(0, 0, 1, 0x1, 0x5, 0, 0, 0, 1, 0x82), headers);
        assertEquals("ENHANCE_YOUR_CALM", H2Frames.errorName(0xb));
        assertEquals("0x2a", H2Frames.errorName(42));
    }

    @Test
    void readsBackWhatItBuilds() throws Exception {
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        wire.write(H2Frames.rstStream(7, 0x1));
        // a padded HEADERS frame with a priority block: pad length 2, 5 priority bytes, the block, 2 pad bytes
        wire.write(H2Frames.frame(H2Frames.HEADERS, 0x8 | 0x20 | 0x4, 3, bytes(2, 0, 0, 0, 0, 16, 0x88, 0, 0)));
        H2FrameReader reader = new H2FrameReader(new ByteArrayInputStream(wire.toByteArray()));
        H2FrameReader.Frame rst = reader.next();
        assertEquals(H2Frames.RST_STREAM, rst.type());
        assertEquals(7, rst.streamId());
        assertEquals(1, rst.u32(0));
        H2FrameReader.Frame headers = reader.next();
        assertArrayEquals(bytes(0x88), headers.headerBlock());
        assertEquals(OptionalInt.of(200), Hpack.status(headers.headerBlock()));
        assertNull(reader.next());
    }

    @Test
    void hpackIntegersFollowRfc7541() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Hpack.integer(out, 0, 5, 10);
        assertArrayEquals(bytes(0x0a), out.toByteArray()); // C.1.1
        out.reset();
        Hpack.integer(out, 0, 5, 1337);
        assertArrayEquals(bytes(0x1f, 0x9a, 0x0a), out.toByteArray()); // C.1.2
        out.reset();
        Hpack.integer(out, 0, 8, 42);
        assertArrayEquals(bytes(0x2a), out.toByteArray()); // C.1.3
    }

    @Test
    void literalBlocksCarryTheBytesAsGiven() {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put(":path", "/a b");
        assertArrayEquals(bytes(0x00, 5, ':', 'p', 'a', 't', 'h', 4, '/', 'a', ' ', 'b'), Hpack.literalBlock(fields));
        fields.put("x", "y".repeat(200));
        byte[] block = Hpack.literalBlock(fields);
        assertEquals(12 + 1 + 2 + 2 + 200, block.length, "a 200-byte value takes a two-byte length");
    }

    @Test
    void readsTheStatusServersSend() {
        assertEquals(OptionalInt.of(404), Hpack.status(bytes(0x8d)));
        assertEquals(OptionalInt.of(302), Hpack.status(bytes(0x48, 0x82, 0x64, 0x02))); // RFC 7541 C.6.1, Huffman
        assertEquals(OptionalInt.of(307), Hpack.status(bytes(0x48, 0x83, 0x64, 0x0e, 0xff))); // C.6.2
        assertEquals(OptionalInt.of(403), Hpack.status(bytes(0x08, 3, '4', '0', '3'))); // without indexing, plain
        assertEquals(OptionalInt.of(431), Hpack.status(bytes(0x18, 3, '4', '3', '1'))); // never indexed
        assertEquals(OptionalInt.of(500), Hpack.status(bytes(0x3f, 0xe1, 0x1f, 0x8e)), "after a table size update");
        assertEquals(OptionalInt.empty(), Hpack.status(bytes(0x82)), ":method GET is no status");
        assertEquals(OptionalInt.empty(), Hpack.status(new byte[0]));
    }
}
