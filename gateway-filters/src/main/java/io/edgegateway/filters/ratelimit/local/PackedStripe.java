package io.edgegateway.filters.ratelimit.local;

import io.edgegateway.filters.ratelimit.RateLimitDecision;

/**
 * One stripe of a {@link PackedIdentityTable}: an open-addressing hash table with linear probing,
 * the keys in one array, their {@link PackedState#INTS} ints each in another and a used bit each
 * in a third, read and changed only under the stripe's monitor. It doubles at 3/4 full, halves when
 * under 1/8 full after an eviction, and deletes by shifting the rest of a probe run back (no
 * tombstones), so lookups never scan past an empty slot.
 *
 * <p>A new identity takes a place in the store's {@link IdentityBudget}; when none is left, the
 * stripe's CLOCK hand gives up an identity not used since it last passed (each decision sets its
 * identity's bit, the hand clears the bits it passes).
 */
final class PackedStripe implements EvictableStripe {

    static final int MIN_CAPACITY = 8;
    /** Keeps {@code capacity × INTS} within an int array's bounds. */
    private static final int MAX_CAPACITY = 1 << 29;
    /** Slots examined per lock hold when evicting, so decisions wait for at most one chunk. */
    private static final int EVICTION_CHUNK = 1_024;
    private static final int INTS = PackedState.INTS;

    private final IdentityBudget budget;
    private String[] keys = new String[MIN_CAPACITY];
    private int[] state = new int[MIN_CAPACITY * INTS];
    private boolean[] used = new boolean[MIN_CAPACITY];
    private int size;
    private int clockHand;

    PackedStripe(IdentityBudget budget) {
        this.budget = budget;
    }

    /**
     * Decides for {@code key}, adding it if new; null when it is new, the budget is spent and this
     * stripe holds less than its fair share: the caller makes room elsewhere and asks again.
     */
    synchronized RateLimitDecision decide(String key, int hash, long nowSeconds, PackedState algorithm) {
        int mask = keys.length - 1;
        int slot = hash & mask;
        int keyHash = key.hashCode();
        for (String held; (held = keys[slot]) != null; slot = (slot + 1) & mask) {
            if (held == key || held.hashCode() == keyHash && held.equals(key)) {
                used[slot] = true;
                return algorithm.decide(state, slot * INTS, nowSeconds);
            }
        }
        if (!budget.tryAdmit()) {
            if (size == 0 || size < budget.fairShare()) {
                return null;
            }
            // The victim's place in the budget passes to the new identity.
            evictVictim();
            budget.countEviction();
            slot = emptySlot(hash);
        }
        if (size >= keys.length / 4 * 3) {
            rehash(keys.length * 2);
            slot = emptySlot(hash);
        }
        keys[slot] = key;
        used[slot] = false;
        size++;
        int offset = slot * INTS;
        algorithm.init(state, offset, nowSeconds);
        return algorithm.decide(state, offset, nowSeconds);
    }

    @Override
    public synchronized boolean evictOne() {
        if (size == 0) {
            return false;
        }
        evictVictim();
        budget.release(1);
        budget.countEviction();
        return true;
    }

    /**
     * Deletes the idle identities, a chunk of slots per lock hold. An identity that a resize between
     * two chunks moves into a slot already examined is left for the next eviction, which changes no
     * decision.
     */
    void evictIdle(long nowSeconds, PackedState algorithm) {
        for (int from = 0; ; from += EVICTION_CHUNK) {
            synchronized (this) {
                if (from >= keys.length) {
                    shrinkIfSparse();
                    return;
                }
                int to = Math.min(from + EVICTION_CHUNK, keys.length);
                int deleted = 0;
                for (int slot = from; slot < to; ) {
                    if (keys[slot] != null && algorithm.isIdle(state, slot * INTS, nowSeconds)) {
                        delete(slot); // and examine the slot again: a later identity may have shifted into it
                        deleted++;
                    } else {
                        slot++;
                    }
                }
                budget.release(deleted);
            }
        }
    }

    @Override
    public synchronized int size() {
        return size;
    }

    synchronized int capacity() {
        return keys.length;
    }

    /** Deletes the first identity at or after the hand whose used bit is clear, clearing the set ones it passes; size > 0. */
    private void evictVictim() {
        int mask = keys.length - 1;
        for (;;) {
            int slot = clockHand;
            clockHand = (slot + 1) & mask;
            if (keys[slot] == null) {
                continue;
            }
            if (used[slot]) {
                used[slot] = false;
                continue;
            }
            delete(slot);
            return;
        }
    }

    /**
     * Empties {@code hole}, then moves back each later identity of the probe run whose home slot
     * is not between the hole and where it is: every identity stays reachable from its home slot
     * without crossing an empty slot.
     */
    private void delete(int hole) {
        int mask = keys.length - 1;
        for (int next = (hole + 1) & mask; keys[next] != null; next = (next + 1) & mask) {
            int home = PackedIdentityTable.hash(keys[next]) & mask;
            if (((next - home) & mask) >= ((next - hole) & mask)) {
                keys[hole] = keys[next];
                used[hole] = used[next];
                System.arraycopy(state, next * INTS, state, hole * INTS, INTS);
                hole = next;
            }
        }
        keys[hole] = null;
        size--;
    }

    private void shrinkIfSparse() {
        int capacity = keys.length;
        while (capacity > MIN_CAPACITY && size < capacity / 8) {
            capacity >>>= 1;
        }
        if (capacity != keys.length) {
            rehash(capacity);
        }
    }

    private void rehash(int capacity) {
        if (capacity > MAX_CAPACITY) {
            throw new IllegalStateException("identity table stripe full: " + size + " identities");
        }
        String[] oldKeys = keys;
        int[] oldState = state;
        boolean[] oldUsed = used;
        keys = new String[capacity];
        state = new int[capacity * INTS];
        used = new boolean[capacity];
        clockHand &= capacity - 1;
        for (int from = 0; from < oldKeys.length; from++) {
            String key = oldKeys[from];
            if (key != null) {
                int slot = emptySlot(PackedIdentityTable.hash(key));
                keys[slot] = key;
                used[slot] = oldUsed[from];
                System.arraycopy(oldState, from * INTS, state, slot * INTS, INTS);
            }
        }
    }

    private int emptySlot(int hash) {
        int mask = keys.length - 1;
        int slot = hash & mask;
        while (keys[slot] != null) {
            slot = (slot + 1) & mask;
        }
        return slot;
    }
}
