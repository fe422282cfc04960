package io.edgegateway.loadtest.probe;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** Builds raw HTTP/2 frames (RFC 9113 section 4.1: 9-byte header, then the payload). */
final class H2Frames {

    static final byte[] PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    static final int DATA = 0x0;
    static final int HEADERS = 0x1;
    static final int PRIORITY = 0x2;
    static final int RST_STREAM = 0x3;
    static final int SETTINGS = 0x4;
    static final int PING = 0x6;
    static final int GOAWAY = 0x7;
    static final int WINDOW_UPDATE = 0x8;

    static final int FLAG_END_STREAM = 0x1;
    static final int FLAG_ACK = 0x1;
    static final int FLAG_END_HEADERS = 0x4;

    static final int CANCEL = 0x8;

    private static final String[] ERROR_NAMES = {
        "NO_ERROR", "PROTOCOL_ERROR", "INTERNAL_ERROR", "FLOW_CONTROL_ERROR", "SETTINGS_TIMEOUT",
        "STREAM_CLOSED", "FRAME_SIZE_ERROR", "REFUSED_STREAM", "CANCEL", "COMPRESSION_ERROR",
        "CONNECT_ERROR", "ENHANCE_YOUR_CALM", "INADEQUATE_SECURITY", "HTTP_1_1_REQUIRED"};

    private H2Frames() {
    }

    static byte[] frame(int type, int flags, int streamId, byte[] payload) {
        ByteBuffer frame = ByteBuffer.allocate(9 + payload.length);
        frame.put((byte) (payload.length >>> 16)).put((byte) (payload.length >>> 8)).put((byte) payload.length);
        frame.put((byte) type).put((byte) flags).putInt(streamId & 0x7fffffff).put(payload);
        return frame.array();
    }

    static byte[] settings() {
        return frame(SETTINGS, 0, 0, new byte[0]);
    }

    static byte[] settingsAck() {
        return frame(SETTINGS, FLAG_ACK, 0, new byte[0]);
    }

    static byte[] ping(long opaque) {
        return frame(PING, 0, 0, ByteBuffer.allocate(8).putLong(opaque).array());
    }

    /** A HEADERS frame carrying one whole header block. */
    static byte[] headers(int streamId, boolean endStream, byte[] headerBlock) {
        return frame(HEADERS, FLAG_END_HEADERS | (endStream ? FLAG_END_STREAM : 0), streamId, headerBlock);
    }

    static byte[] rstStream(int streamId, int errorCode) {
        return frame(RST_STREAM, 0, streamId, ByteBuffer.allocate(4).putInt(errorCode).array());
    }

    /** PRIORITY on {@code streamId}: non-exclusive, depending on stream 0, weight 16. */
    static byte[] priority(int streamId) {
        return frame(PRIORITY, 0, streamId, ByteBuffer.allocate(5).putInt(0).put((byte) 15).array());
    }

    static byte[] windowUpdate(int streamId, int increment) {
        return frame(WINDOW_UPDATE, 0, streamId, ByteBuffer.allocate(4).putInt(increment & 0x7fffffff).array());
    }

    static byte[] emptyData(int streamId) {
        return frame(DATA, 0, streamId, new byte[0]);
    }

    /** The RFC 9113 section 7 name of an error code, or its number in hex. */
    static String errorName(long code) {
        return code >= 0 && code < ERROR_NAMES.length ? ERROR_NAMES[(int) code] : "0x" + Long.toHexString(code);
    }
}
