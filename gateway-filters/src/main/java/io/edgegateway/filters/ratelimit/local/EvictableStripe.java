package io.edgegateway.filters.ratelimit.local;

/** A part of a limiter's identities with its own lock, from which {@link IdentityBudget} can take room. */
interface EvictableStripe {

    /** Identities held; may be stale by the time it is used. */
    int size();

    /**
     * Forgets the identity the stripe's CLOCK hand finds first among those not used since it last
     * passed, and gives its place back to the budget; false when the stripe holds none.
     */
    boolean evictOne();
}
