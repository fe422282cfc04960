package io.edgegateway.filters.ratelimit.local;

import io.edgegateway.filters.ratelimit.BoundedKey;
import io.edgegateway.filters.ratelimit.RateLimitDecision;

/**
 * Fixed-size limiter state for many identities in flat arrays rather than an object and a map node
 * each: 17 bytes per slot (a key reference, {@link PackedState#INTS} ints and a used bit).
 * Identities are spread over a power-of-two number of {@link PackedStripe}s, each with its own
 * lock, so a decision locks only its identity's stripe and identities in other stripes never
 * contend. Keys are kept as {@link BoundedKey}s, and no more identities than the store's
 * {@link IdentityBudget} allows.
 */
final class PackedIdentityTable {

    private final PackedState algorithm;
    private final IdentityBudget budget;
    private final PackedStripe[] stripes;
    private final int stripeBits;

    PackedIdentityTable(PackedState algorithm, IdentityBudget budget) {
        this(algorithm, defaultStripes(Runtime.getRuntime().availableProcessors()), budget);
    }

    PackedIdentityTable(PackedState algorithm, int stripes) {
        this(algorithm, stripes, IdentityBudget.forHeap());
    }

    PackedIdentityTable(PackedState algorithm, int stripes, IdentityBudget budget) {
        if (stripes <= 0 || Integer.bitCount(stripes) != 1) {
            throw new IllegalArgumentException("stripes: " + stripes + " (expected: a power of two)");
        }
        this.algorithm = algorithm;
        this.budget = budget;
        this.stripes = new PackedStripe[stripes];
        for (int i = 0; i < stripes; i++) {
            this.stripes[i] = new PackedStripe(budget);
        }
        this.stripeBits = Integer.numberOfTrailingZeros(stripes);
        budget.register(this.stripes);
    }

    /** Four stripes per processor, at least 16, rounded up to a power of two. */
    static int defaultStripes(int processors) {
        int wanted = Math.max(16, 4 * processors);
        return Integer.highestOneBit(wanted - 1) << 1;
    }

    /**
     * The hash of a key, its {@code String.hashCode} mixed (Murmur3's finalizer) so that every bit
     * depends on all of them: the top bits pick the stripe, the low bits the slot.
     */
    static int hash(String key) {
        int h = key.hashCode();
        h ^= h >>> 16;
        h *= 0x85eb_ca6b;
        h ^= h >>> 13;
        h *= 0xc2b2_ae35;
        return h ^ h >>> 16;
    }

    RateLimitDecision decide(String key, long nowSeconds) {
        String bounded = BoundedKey.of(key);
        int hash = hash(bounded);
        PackedStripe stripe = stripeOf(hash);
        for (int attempt = 0; attempt < IdentityBudget.ADMIT_ATTEMPTS; attempt++) {
            RateLimitDecision decision = stripe.decide(bounded, hash, nowSeconds, algorithm);
            if (decision != null) {
                return decision;
            }
            budget.makeRoom();
        }
        // Other new identities took every place made: decide as for a new identity, and keep nothing.
        int[] unkept = new int[PackedState.INTS];
        algorithm.init(unkept, 0, nowSeconds);
        return algorithm.decide(unkept, 0, nowSeconds);
    }

    /** Evicts idle identities one stripe (and within it one chunk of slots) at a time. */
    void evictIdle(long nowSeconds) {
        for (PackedStripe stripe : stripes) {
            stripe.evictIdle(nowSeconds, algorithm);
        }
    }

    int size() {
        int size = 0;
        for (PackedStripe stripe : stripes) {
            size += stripe.size();
        }
        return size;
    }

    /** Slots allocated over all stripes; for tests. */
    int capacity() {
        int capacity = 0;
        for (PackedStripe stripe : stripes) {
            capacity += stripe.capacity();
        }
        return capacity;
    }

    private PackedStripe stripeOf(int hash) {
        // Rotating brings the top stripeBits bits down; with one stripe it leaves nothing under the mask.
        return stripes[Integer.rotateLeft(hash, stripeBits) & (stripes.length - 1)];
    }
}
