package io.edgegateway.server.proxy;

import io.netty.util.concurrent.FastThreadLocal;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Generated {@code X-Request-Id} values: 128 random bits as 32 lowercase hex digits, the first of
 * each half 8..f. One is made for every request that comes without an id, so the digits are
 * written into a per-thread scratch array and the id costs one String, not the four that two
 * {@code Long.toHexString} and a concatenation make.
 */
final class RequestIds {

    private static final int DIGITS = 32;
    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private static final FastThreadLocal<byte[]> SCRATCH = new FastThreadLocal<>() {
        @Override
        protected byte[] initialValue() {
            return new byte[DIGITS];
        }
    };

    private RequestIds() {
    }

    static String next() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        byte[] digits = SCRATCH.get();
        writeHex(digits, 0, random.nextLong() | Long.MIN_VALUE);
        writeHex(digits, DIGITS / 2, random.nextLong() | Long.MIN_VALUE);
        return new String(digits, StandardCharsets.ISO_8859_1);
    }

    private static void writeHex(byte[] digits, int offset, long value) {
        for (int i = DIGITS / 2 - 1; i >= 0; i--) {
            digits[offset + i] = HEX[(int) (value & 0xf)];
            value >>>= 4;
        }
    }
}
