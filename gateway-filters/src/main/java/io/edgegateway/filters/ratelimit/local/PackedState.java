package io.edgegateway.filters.ratelimit.local;

import io.edgegateway.filters.ratelimit.RateLimitDecision;

/**
 * A limiter algorithm whose state per identity is {@link #INTS} ints at {@code offset} in a
 * {@link PackedIdentityTable}'s array, instead of an object per identity. The table calls it with
 * the identity's stripe locked.
 */
interface PackedState {

    /** Ints per identity, the same for every algorithm so that one table layout serves them all. */
    int INTS = 3;

    /** Writes the state of an identity seen for the first time (or again after eviction). */
    void init(int[] state, int offset, long nowSeconds);

    /** Decides and counts. */
    RateLimitDecision decide(int[] state, int offset, long nowSeconds);

    /** Whether forgetting the state would change no later decision. */
    boolean isIdle(int[] state, int offset, long nowSeconds);
}
