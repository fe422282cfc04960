package io.edgegateway.filters.ratelimit;

import io.edgegateway.filters.identity.BoundedIdentity;

/**
 * A rate-limit key as every store keeps it: as it is up to {@link #HASH_ABOVE} characters, else
 * its {@link BoundedIdentity#digest}. The gateway's keys (route id, ':', a {@link BoundedIdentity})
 * stay under the bound and are never hashed here; it bounds what a library caller of the limiters
 * or of the Redis store passes, the same way on every gateway.
 */
public final class BoundedKey {

    /** The longest key kept as it is: a bounded identity with a route id of up to 127 characters. */
    public static final int HASH_ABOVE = 2 * BoundedIdentity.HASH_ABOVE;

    private BoundedKey() {
    }

    /** {@code key} itself when short and not marked; else its digest. Costs nothing for a short one. */
    public static String of(String key) {
        return BoundedIdentity.needsDigest(key, HASH_ABOVE) ? BoundedIdentity.digest(key) : key;
    }
}
