package io.edgegateway.filters.ratelimit.redis;

import io.edgegateway.config.Quota;

/**
 * The {@link ScriptQuota} of each {@link Quota} instance a store is asked about. The gateway asks
 * with one instance per route, so a small table by identity finds it without hashing the record
 * or locking: entries are immutable, a slot is overwritten by whichever thread last missed it
 * (safe, as every field is final), and a miss only costs working it out again.
 */
final class ScriptQuotas {

    private static final int SLOTS = 64;

    private final ScriptQuota[] slots = new ScriptQuota[SLOTS];

    ScriptQuota of(Quota quota) {
        int slot = System.identityHashCode(quota) & (SLOTS - 1);
        ScriptQuota known = slots[slot];
        if (known != null && known.quota == quota) {
            return known;
        }
        ScriptQuota fresh = ScriptQuota.of(quota);
        slots[slot] = fresh;
        return fresh;
    }
}
