package io.edgegateway.filters.ratelimit.redis;

/**
 * MurmurHash3's 64-bit mixing applied to a string's UTF-16 units, four to a block, without
 * allocating: close keys ("user-1", "user-2") land far apart on the ring.
 */
final class Murmur3Hash {

    private static final long C1 = 0x87c37b91114253d5L;
    private static final long C2 = 0x4cf5ad432745937fL;

    private Murmur3Hash() {
    }

    static long hash64(CharSequence text) {
        long h = 0x9747b28cL;
        int length = text.length();
        int i = 0;
        for (; i + 4 <= length; i += 4) {
            long block = text.charAt(i)
                    | (long) text.charAt(i + 1) << 16
                    | (long) text.charAt(i + 2) << 32
                    | (long) text.charAt(i + 3) << 48;
            h ^= mixBlock(block);
            h = Long.rotateLeft(h, 27) * 5 + 0x52dce729;
        }
        long tail = 0;
        for (int shift = 0; i < length; i++, shift += 16) {
            tail |= (long) text.charAt(i) << shift;
        }
        h ^= mixBlock(tail);
        h ^= length;
        return finalMix(h);
    }

    private static long mixBlock(long block) {
        long k = block * C1;
        k = Long.rotateLeft(k, 31);
        return k * C2;
    }

    private static long finalMix(long h) {
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h;
    }
}
