package io.edgegateway.filters.ratelimit.local;

import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * One stripe of an {@link IdentityLimiter}: a concurrent map of identities to their states, and a
 * CLOCK hand over it (a weakly consistent iterator, guarded by the stripe's monitor) for
 * {@link IdentityBudget} evictions.
 *
 * <p>Lock order: the stripe's monitor, then a state's. Decisions take a state's monitor only.
 */
final class StateStripe<S extends IdentityState> implements EvictableStripe {

    private final ConcurrentHashMap<String, S> states = new ConcurrentHashMap<>();
    private final IdentityBudget budget;
    private Iterator<Map.Entry<String, S>> hand;

    StateStripe(IdentityBudget budget) {
        this.budget = budget;
    }

    S get(String key) {
        return states.get(key);
    }

    /**
     * Adds {@code created}, for which the caller took a place in the budget, unless the key is there
     * already (then the place is given back); returns the state kept.
     */
    S putIfAbsent(String key, S created) {
        S prior = states.putIfAbsent(key, created);
        if (prior != null) {
            budget.release(1);
            return prior;
        }
        return created;
    }

    @Override
    public int size() {
        return states.size();
    }

    /** Visits each identity at most twice: once to clear its used bit, once to evict it. */
    @Override
    public synchronized boolean evictOne() {
        for (int visits = 2 * states.size() + 1; visits > 0; visits--) {
            if (hand == null || !hand.hasNext()) {
                hand = states.entrySet().iterator();
                if (!hand.hasNext()) {
                    return false;
                }
            }
            Map.Entry<String, S> entry = hand.next();
            S state = entry.getValue();
            synchronized (state) {
                if (state.isEvicted() || state.clearUsed()) {
                    continue;
                }
                state.markEvicted();
                states.remove(entry.getKey(), state);
            }
            budget.release(1);
            budget.countEviction();
            return true;
        }
        return false;
    }

    /** Forgets the states {@code idle} says so of, each under its monitor. */
    void evictIdle(Predicate<S> idle) {
        int evicted = 0;
        for (Map.Entry<String, S> entry : states.entrySet()) {
            S state = entry.getValue();
            synchronized (state) {
                if (state.isEvicted() || !idle.test(state)) {
                    continue;
                }
                state.markEvicted();
                states.remove(entry.getKey(), state);
            }
            evicted++;
        }
        budget.release(evicted);
    }
}
