package io.edgegateway.filters.ratelimit.redis;

import io.edgegateway.config.Quota;
import io.edgegateway.filters.ratelimit.RateLimitDecision;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The identities this gateway was last told are over their limit (or blocked), each until the
 * reset Redis gave with the denial: until then a decision for it is answered here, as a denial,
 * without a script call. Only denials are cached, and each only until the moment Redis said the
 * next request would be allowed, measured from when the call was asked for (so never later than
 * Redis's own reset): a denial's state cannot change before its reset, since nothing is counted
 * while it is denied, so the cache answers exactly what Redis would have, and never allows.
 *
 * <p>With {@code block-for}, only blocks are cached: a plain denial must still reach Redis, where
 * a second one within the window is what starts a block on every gateway.
 *
 * <p>Bounded and lock-free: a fixed table of slots indexed by the key's hash, each holding one
 * immutable entry; a colliding denial replaces the one there (which then costs a call again).
 * While no cached denial can still hold (none was cached, or the latest reset has passed), a
 * lookup reads one field and not the table: most traffic is allowed, and its slots are cache misses.
 */
final class DenialCache {

    static final int DEFAULT_SLOTS = 1 << 14;

    private record Denial(String redisKey, Quota quota, long untilMillis) {
    }

    private final AtomicReferenceArray<Denial> slots;
    private final int mask;
    /** No entry is live at or after this millisecond; raised by every cached denial. */
    private final AtomicLong liveUntilMillis = new AtomicLong(Long.MIN_VALUE);

    DenialCache(int slots) {
        if (Integer.bitCount(slots) != 1) {
            throw new IllegalArgumentException("slots: " + slots + " (expected: a power of two)");
        }
        this.slots = new AtomicReferenceArray<>(slots);
        this.mask = slots - 1;
    }

    /** The cached denial of {@code redisKey} under {@code quota} at {@code nowMillis}, or null: ask Redis. */
    RateLimitDecision denied(String redisKey, Quota quota, long nowMillis) {
        if (nowMillis >= liveUntilMillis.get()) {
            return null;
        }
        Denial denial = slots.get(slot(redisKey));
        if (denial == null || nowMillis >= denial.untilMillis || !denial.redisKey.equals(redisKey)
                || !(denial.quota == quota || denial.quota.equals(quota))) {
            return null;
        }
        return RateLimitDecision.deniedMillis(quota.requests(), denial.untilMillis - nowMillis);
    }

    /**
     * Remembers {@code decision} if it is a denial to cache; {@code askedAtMillis} is when the call
     * was asked for, {@code blocked} whether it was denied by {@code block-for}.
     */
    void remember(String redisKey, Quota quota, long askedAtMillis, RateLimitDecision decision, boolean blocked) {
        if (!decision.allowed() && (blocked || quota.blockFor().isZero())) {
            long untilMillis = askedAtMillis + decision.resetMillis();
            slots.lazySet(slot(redisKey), new Denial(redisKey, quota, untilMillis));
            if (untilMillis > liveUntilMillis.get()) {
                liveUntilMillis.accumulateAndGet(untilMillis, Math::max);
            }
        }
    }

    private int slot(String redisKey) {
        int h = redisKey.hashCode();
        return (h ^ h >>> 16) & mask;
    }
}
