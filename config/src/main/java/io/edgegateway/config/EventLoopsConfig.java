package io.edgegateway.config;

import java.util.Objects;
import java.util.OptionalInt;

/**
 * {@code gateway.transport} and {@code gateway.event-loops}: the I/O the loops use, and how many
 * loops serve clients (empty: one per core, {@code event-loops = auto}). Fixed at start.
 */
public record EventLoopsConfig(TransportChoice transport, OptionalInt count) {

    public EventLoopsConfig {
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(count, "count");
    }

    /** {@link #count}, or {@code cores} when it is {@code auto}. */
    public int countOr(int cores) {
        return count.orElse(cores);
    }
}
