package io.edgegateway.server.tracing;

import io.netty.util.AsciiString;

/**
 * The {@code traceparent} field of W3C Trace Context level 1: {@code version-traceid-parentid-flags}
 * in lower-case hex, e.g. {@code 00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01}. Read in
 * place, without copying the header value; written as one 55-byte {@link AsciiString}. A later
 * version is read by its first four fields, as the specification asks; the gateway writes version 00.
 */
public final class TraceParent {

    public static final AsciiString TRACEPARENT = AsciiString.cached("traceparent");
    public static final AsciiString TRACESTATE = AsciiString.cached("tracestate");

    /** Characters of a version 00 value. */
    static final int LENGTH = 55;
    private static final int TRACE_ID_HIGH = 3;
    private static final int TRACE_ID_LOW = 19;
    private static final int PARENT_ID = 36;
    private static final int FLAGS = 53;
    private static final int SAMPLED = 0x01;
    private static final byte[] HEX = {'0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 'a', 'b', 'c', 'd', 'e', 'f'};

    private TraceParent() {
    }

    /**
     * Whether {@code value} is a traceparent to continue: the version is two hex digits other than
     * {@code ff}; version 00 is exactly 55 characters, a later one at least that, followed by a dash
     * when longer; trace id and parent id are lower-case hex and not all zeros.
     */
    static boolean isValid(CharSequence value) {
        int length = value.length();
        if (length < LENGTH || !isHex(value, 0, 2) || (value.charAt(0) == 'f' && value.charAt(1) == 'f')) {
            return false;
        }
        boolean version00 = value.charAt(0) == '0' && value.charAt(1) == '0';
        if (version00 ? length != LENGTH : length > LENGTH && value.charAt(LENGTH) != '-') {
            return false;
        }
        return value.charAt(2) == '-' && value.charAt(35) == '-' && value.charAt(52) == '-'
                && isHex(value, TRACE_ID_HIGH, 35) && isHex(value, PARENT_ID, 52) && isHex(value, FLAGS, LENGTH)
                && (hex(value, TRACE_ID_HIGH) != 0 || hex(value, TRACE_ID_LOW) != 0) && hex(value, PARENT_ID) != 0;
    }

    /** The trace id's first 8 bytes, of a {@link #isValid valid} value. */
    static long traceIdHigh(CharSequence value) {
        return hex(value, TRACE_ID_HIGH);
    }

    static long traceIdLow(CharSequence value) {
        return hex(value, TRACE_ID_LOW);
    }

    /** The caller's span: the gateway's request span is its child. */
    static long parentId(CharSequence value) {
        return hex(value, PARENT_ID);
    }

    static boolean sampled(CharSequence value) {
        return (Character.digit(value.charAt(FLAGS + 1), 16) & SAMPLED) != 0;
    }

    /** {@code 00-<trace id>-<parentId>-<flags>}; of the flags only {@code sampled} is defined, the rest are zero. */
    static AsciiString format(long traceIdHigh, long traceIdLow, long parentId, boolean sampled) {
        byte[] bytes = new byte[LENGTH];
        bytes[0] = '0';
        bytes[1] = '0';
        bytes[2] = '-';
        writeHex(bytes, TRACE_ID_HIGH, traceIdHigh);
        writeHex(bytes, TRACE_ID_LOW, traceIdLow);
        bytes[35] = '-';
        writeHex(bytes, PARENT_ID, parentId);
        bytes[52] = '-';
        bytes[FLAGS] = '0';
        bytes[FLAGS + 1] = (byte) (sampled ? '1' : '0');
        return new AsciiString(bytes, false);
    }

    /** Writes {@code value} as 16 lower-case hex digits from {@code offset}. */
    static void writeHex(byte[] bytes, int offset, long value) {
        for (int i = 15; i >= 0; i--) {
            bytes[offset + i] = HEX[(int) (value & 0xf)];
            value >>>= 4;
        }
    }

    /** 16 hex digits from {@code offset}, already checked. */
    private static long hex(CharSequence value, int offset) {
        long result = 0;
        for (int i = offset; i < offset + 16; i++) {
            result = result << 4 | Character.digit(value.charAt(i), 16);
        }
        return result;
    }

    private static boolean isHex(CharSequence value, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = value.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
                return false;
            }
        }
        return true;
    }
}
