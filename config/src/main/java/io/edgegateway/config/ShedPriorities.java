package io.edgegateway.config;

import java.util.Set;

/**
 * {@code load-shedding.priorities}: identities (as the identity section resolves them) whose
 * requests are high priority (shed last) or low (shed first), whatever their headers say.
 */
public record ShedPriorities(Set<String> high, Set<String> low) {

    public static final ShedPriorities NONE = new ShedPriorities(Set.of(), Set.of());

    public ShedPriorities {
        high = Set.copyOf(high);
        low = Set.copyOf(low);
    }

    public boolean isEmpty() {
        return high.isEmpty() && low.isEmpty();
    }
}
