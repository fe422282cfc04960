package io.edgegateway.config;

import java.util.Objects;
import java.util.OptionalInt;

/**
 * {@code gateway.rate-limit.local}: the in-memory store (the configured store, or the fallback of
 * {@code on-store-failure = local}).
 *
 * @param maxIdentities identities the store holds over all its quotas before it evicts the least
 *     recently used; empty for {@code auto}, a bound derived from the heap by the store
 */
public record LocalStoreConfig(OptionalInt maxIdentities) {

    /** {@code max-identities = auto}, the default. */
    public static final LocalStoreConfig AUTO = new LocalStoreConfig(OptionalInt.empty());

    public LocalStoreConfig {
        Objects.requireNonNull(maxIdentities, "maxIdentities");
        if (maxIdentities.isPresent() && maxIdentities.getAsInt() < 1) {
            throw new IllegalArgumentException("maxIdentities: " + maxIdentities.getAsInt() + " (expected: >= 1)");
        }
    }
}
