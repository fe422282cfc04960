package io.edgegateway.loadtest.probe;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.OptionalInt;

/**
 * Just enough HPACK (RFC 7541) for a probe: header fields written as literals with a new name,
 * never indexed and never Huffman-coded, so any bytes (a space in {@code :path}) go out exactly as
 * given; and the {@code :status} of a response block read from its first field.
 */
final class Hpack {

    /** Static-table indexes 8..14 are {@code :status} with these values (RFC 7541 appendix A). */
    private static final int[] STATIC_STATUS = {200, 204, 206, 304, 400, 404, 500};

    private Hpack() {
    }

    /** A header block of literal fields without indexing, in the map's order; chars are bytes. */
    static byte[] literalBlock(Map<String, String> fields) {
        ByteArrayOutputStream block = new ByteArrayOutputStream();
        fields.forEach((name, value) -> {
            block.write(0x00); // literal header field without indexing, new name
            string(block, name);
            string(block, value);
        });
        return block.toByteArray();
    }

    /** RFC 7541 section 5.1: {@code value} with an N-bit prefix; {@code firstByteHigh} holds the bits above it. */
    static void integer(ByteArrayOutputStream out, int firstByteHigh, int prefixBits, long value) {
        int max = (1 << prefixBits) - 1;
        if (value < max) {
            out.write(firstByteHigh | (int) value);
            return;
        }
        out.write(firstByteHigh | max);
        long rest = value - max;
        while (rest >= 128) {
            out.write((int) (rest % 128 + 128));
            rest /= 128;
        }
        out.write((int) rest);
    }

    /**
     * The status of a response header block when its first field is {@code :status}, as servers put
     * it: indexed, or a literal with an indexed name and a plain or Huffman-coded value.
     */
    static OptionalInt status(byte[] block) {
        int pos = 0;
        while (pos < block.length && (block[pos] & 0xe0) == 0x20) {
            pos = afterInteger(block, pos, 5); // a dynamic table size update may open a block
        }
        if (pos >= block.length) {
            return OptionalInt.empty();
        }
        int first = block[pos] & 0xff;
        if (first >= 0x88 && first <= 0x8e) {
            return OptionalInt.of(STATIC_STATUS[first - 0x88]);
        }
        boolean incremental = (first & 0xc0) == 0x40;
        int index = incremental ? first & 0x3f : first & 0x0f;
        if (!(incremental || (first & 0xe0) == 0x00) || index < 8 || index > 14 || block.length < pos + 2) {
            return OptionalInt.empty();
        }
        boolean huffman = (block[pos + 1] & 0x80) != 0;
        int length = block[pos + 1] & 0x7f;
        if (block.length < pos + 2 + length) {
            return OptionalInt.empty();
        }
        String digits = huffman ? huffmanDigits(block, pos + 2, length)
                : new String(block, pos + 2, length, StandardCharsets.US_ASCII);
        try {
            return digits.length() == 3 ? OptionalInt.of(Integer.parseInt(digits)) : OptionalInt.empty();
        } catch (NumberFormatException e) {
            return OptionalInt.empty();
        }
    }

    private static int afterInteger(byte[] block, int pos, int prefixBits) {
        int max = (1 << prefixBits) - 1;
        if ((block[pos] & max) < max) {
            return pos + 1;
        }
        int next = pos + 1;
        while (next < block.length && (block[next] & 0x80) != 0) {
            next++;
        }
        return next + 1;
    }

    /**
     * Decodes a Huffman-coded string of digits (RFC 7541 appendix B: '0'-'2' are the 5-bit codes
     * 0-2, '3'-'9' the 6-bit codes 0x19-0x1f); anything else yields "".
     */
    static String huffmanDigits(byte[] bytes, int offset, int length) {
        StringBuilder digits = new StringBuilder();
        int totalBits = length * 8;
        int bit = 0;
        while (totalBits - bit >= 5) {
            int code5 = bits(bytes, offset, bit, 5);
            if (code5 <= 2) {
                digits.append((char) ('0' + code5));
                bit += 5;
                continue;
            }
            if (code5 == 0x1f && totalBits - bit < 8) {
                break; // padding: the most significant bits of EOS, all ones
            }
            if (totalBits - bit < 6) {
                break;
            }
            int code6 = bits(bytes, offset, bit, 6);
            if (code6 < 0x19 || code6 > 0x1f) {
                return "";
            }
            digits.append((char) ('3' + code6 - 0x19));
            bit += 6;
        }
        return digits.toString();
    }

    private static int bits(byte[] bytes, int offset, int from, int count) {
        int value = 0;
        for (int i = from; i < from + count; i++) {
            int b = bytes[offset + i / 8] & 0xff;
            value = value << 1 | (b >> (7 - i % 8)) & 1;
        }
        return value;
    }

    private static void string(ByteArrayOutputStream out, String text) {
        integer(out, 0x00, 7, text.length());
        for (int i = 0; i < text.length(); i++) {
            out.write(text.charAt(i) & 0xff);
        }
    }
}
