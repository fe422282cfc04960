package io.edgegateway.filters.ratelimit.local;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * How many identities one in-memory store may hold over all its limiters, and where room comes from
 * when it holds that many: {@code rate-limit.local.max-identities}.
 *
 * <p>A new identity takes a place with one compare-and-set; only when none is left does it evict.
 * It evicts in its own stripe (under the lock it holds anyway) when that stripe holds at least its
 * fair share (the identities held divided by the stripes of all the store's limiters); otherwise it
 * takes room from the next stripe, round robin, that holds at least its fair share. So a flood on
 * one quota evicts that quota's identities, and the few identities of a quiet one are not given up
 * for it. Within a stripe the victim is chosen by CLOCK (second chance): an identity used since the
 * hand last passed keeps its place once. No lock is shared by the stripes; the budget's counters
 * are atomics.
 */
public final class IdentityBudget {

    /**
     * Times a new identity asks for room before it is decided as a new one on a state that is not
     * kept: only when other new identities took each place made for it, under heavy contention.
     */
    static final int ADMIT_ATTEMPTS = 4;

    /** Heap bytes per identity that {@link #forHeap} allows: one identity per KiB. */
    static final long HEAP_BYTES_PER_IDENTITY = 1024;

    private final int max;
    private final AtomicInteger held = new AtomicInteger();
    private final AtomicInteger hand = new AtomicInteger();
    private final LongAdder evicted = new LongAdder();
    private volatile EvictableStripe[] stripes = new EvictableStripe[0];

    private IdentityBudget(int max) {
        if (max < 1) {
            throw new IllegalArgumentException("max-identities: " + max + " (expected: >= 1)");
        }
        this.max = max;
    }

    public static IdentityBudget of(int maxIdentities) {
        return new IdentityBudget(maxIdentities);
    }

    /** {@code max-identities = auto}: one identity per KiB of the maximum heap. */
    public static IdentityBudget forHeap() {
        return new IdentityBudget(maxForHeap(Runtime.getRuntime().maxMemory()));
    }

    static int maxForHeap(long maxHeapBytes) {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, maxHeapBytes / HEAP_BYTES_PER_IDENTITY));
    }

    public int max() {
        return max;
    }

    /** Identities held now, over every limiter of the store. */
    public int held() {
        return held.get();
    }

    /** Identities evicted so far to make room for new ones (idle ones forgotten are not counted). */
    public long evicted() {
        return evicted.sum();
    }

    /** Takes a place for a new identity, if one is left. */
    boolean tryAdmit() {
        for (int now = held.get(); now < max; now = held.get()) {
            if (held.compareAndSet(now, now + 1)) {
                return true;
            }
        }
        return false;
    }

    void release(int identities) {
        held.addAndGet(-identities);
    }

    void countEviction() {
        evicted.increment();
    }

    /** What each stripe would hold if the identities were spread evenly. */
    int fairShare() {
        int count = stripes.length;
        return count == 0 ? 0 : held.get() / count;
    }

    synchronized void register(EvictableStripe[] more) {
        EvictableStripe[] all = Arrays.copyOf(stripes, stripes.length + more.length);
        System.arraycopy(more, 0, all, stripes.length, more.length);
        stripes = all;
    }

    /**
     * Evicts one identity from the next stripe, round robin, that holds at least its fair share (one
     * holds that much, though sizes move while it looks; then any stripe that holds one will do).
     * Takes one stripe's lock at a time: the caller must hold none.
     */
    boolean makeRoom() {
        EvictableStripe[] all = stripes;
        int count = all.length;
        int share = Math.max(1, fairShare());
        int start = hand.getAndIncrement();
        for (int i = 0; i < count; i++) {
            EvictableStripe stripe = all[Math.floorMod(start + i, count)];
            if (stripe.size() >= share && stripe.evictOne()) {
                return true;
            }
        }
        for (EvictableStripe stripe : all) {
            if (stripe.evictOne()) {
                return true;
            }
        }
        return false;
    }
}
