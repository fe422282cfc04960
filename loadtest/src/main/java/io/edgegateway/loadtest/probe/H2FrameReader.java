package io.edgegateway.loadtest.probe;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;

/** Reads raw HTTP/2 frames, one at a time. */
final class H2FrameReader {

    /** A frame as read; {@code payload} excludes the 9-byte header. */
    record Frame(int type, int flags, int streamId, byte[] payload) {
        long u32(int offset) {
            return ((payload[offset] & 0xffL) << 24) | ((payload[offset + 1] & 0xffL) << 16)
                    | ((payload[offset + 2] & 0xffL) << 8) | (payload[offset + 3] & 0xffL);
        }

        /** The header block of a HEADERS frame, without padding or priority fields. */
        byte[] headerBlock() {
            int start = 0;
            int end = payload.length;
            if ((flags & 0x8) != 0 && payload.length > 0) { // PADDED
                end -= payload[0] & 0xff;
                start = 1;
            }
            if ((flags & 0x20) != 0) { // PRIORITY
                start += 5;
            }
            if (start > end || end > payload.length) {
                return new byte[0];
            }
            byte[] block = new byte[end - start];
            System.arraycopy(payload, start, block, 0, block.length);
            return block;
        }
    }

    private static final int MAX_PAYLOAD = 1 << 24;

    private final DataInputStream in;

    H2FrameReader(InputStream in) {
        this.in = new DataInputStream(in);
    }

    /** The next frame, or null at the end of the stream between frames. */
    Frame next() throws IOException {
        int first = in.read();
        if (first < 0) {
            return null;
        }
        int length = first << 16 | in.readUnsignedByte() << 8 | in.readUnsignedByte();
        int type = in.readUnsignedByte();
        int flags = in.readUnsignedByte();
        int streamId = in.readInt() & 0x7fffffff;
        if (length > MAX_PAYLOAD) {
            throw new IOException("frame of " + length + " bytes: not HTTP/2");
        }
        byte[] payload = new byte[length];
        in.readFully(payload);
        return new Frame(type, flags, streamId, payload);
    }
}
