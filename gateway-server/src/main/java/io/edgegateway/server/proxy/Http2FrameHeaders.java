package io.edgegateway.server.proxy;

import io.netty.buffer.ByteBuf;

/**
 * Finds the 9-byte frame headers in one direction of an HTTP/2 byte stream, however it is cut into
 * buffers: reads them in place and passes over payloads without looking at them.
 */
final class Http2FrameHeaders {

    /** The client's connection preface, {@code PRI * HTTP/2.0...}, comes before its first frame. */
    static final int CLIENT_PREFACE_LENGTH = 24;

    private static final int HEADER_LENGTH = 9;
    /** Length (3 bytes), type and flags: the part of a header kept. */
    private static final int HEADER_BYTES_KEPT = 5;

    /** Bytes still to pass over: a preface, then each frame's payload. */
    private long skip;
    private int headerBytesRead;
    private long header;
    private int type;

    Http2FrameHeaders(int bytesBeforeFirstFrame) {
        this.skip = bytesBeforeFirstFrame;
    }

    /**
     * Reads on from {@code at} in {@code in} up to its writer index; returns where the next frame
     * header ended (its type is then {@link #type()}), or -1 when the buffer ran out first.
     */
    int next(ByteBuf in, int at) {
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
            if (++headerBytesRead == HEADER_LENGTH) {
                type = (int) (header >>> 8) & 0xFF;
                skip = header >>> 16;
                header = 0;
                headerBytesRead = 0;
                return at;
            }
        }
        return -1;
    }

    /** The type of the frame whose header {@link #next} found last. */
    int type() {
        return type;
    }
}
