package io.edgegateway.filters.ratelimit.local;

/**
 * What one identity's limiter state must offer its {@link IdentityLimiter}; always used under the
 * state's own monitor.
 */
interface IdentityState {

    /** Once evicted the state is out of the map, and a decision must look the identity up again. */
    boolean isEvicted();

    void markEvicted();

    /** Sets the used bit that a CLOCK hand reads: the identity was decided for again. */
    void markUsed();

    /** Clears the used bit; returns whether it was set. */
    boolean clearUsed();
}
