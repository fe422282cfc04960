package io.edgegateway.config;

import java.util.List;

/**
 * How a request's identity is found: the sources are tried in order and the first one that yields wins.
 *
 * @param maxLength the longest identity accepted, in characters (bytes, for a header's value); a
 *     longer one is refused with 431 before any rate-limit state is kept for it
 */
public record IdentityConfig(List<IdentitySource> sources, int maxLength) {

    /** {@code identity.max-length} in reference.conf. */
    public static final int DEFAULT_MAX_LENGTH = 4096;

    public IdentityConfig {
        sources = List.copyOf(sources);
        if (maxLength < 1) {
            throw new IllegalArgumentException("maxLength: " + maxLength + " (expected: >= 1)");
        }
    }

    /** With the default {@code max-length}. */
    public IdentityConfig(List<IdentitySource> sources) {
        this(sources, DEFAULT_MAX_LENGTH);
    }
}
