package io.edgegateway.filters.identity;

import java.util.Arrays;

/**
 * Strict base64url decoding without padding (RFC 7515 section 2), straight from a range of a string.
 *
 * <p>Stricter than {@link java.util.Base64#getUrlDecoder()}: padding and non-zero trailing bits are
 * refused, so each byte string has exactly one accepted encoding.
 */
final class Base64Url {

    private static final byte[] VALUES = new byte[128];

    static {
        Arrays.fill(VALUES, (byte) -1);
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        for (int i = 0; i < alphabet.length(); i++) {
            VALUES[alphabet.charAt(i)] = (byte) i;
        }
    }

    private Base64Url() {
    }

    /** Decodes {@code text[from, to)}; null when it is not unpadded base64url. */
    static byte[] decode(String text, int from, int to) {
        int length = to - from;
        int tail = length % 4;
        if (tail == 1) {
            return null;
        }
        byte[] out = new byte[length / 4 * 3 + (tail == 0 ? 0 : tail - 1)];
        int bits = 0;
        int bitCount = 0;
        int o = 0;
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            int value = c < 128 ? VALUES[c] : -1;
            if (value < 0) {
                return null;
            }
            bits = (bits << 6) | value;
            bitCount += 6;
            if (bitCount >= 8) {
                bitCount -= 8;
                out[o++] = (byte) (bits >> bitCount);
                bits &= (1 << bitCount) - 1;
            }
        }
        return bits == 0 ? out : null;
    }
}
