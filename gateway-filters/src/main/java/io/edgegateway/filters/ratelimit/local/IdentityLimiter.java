package io.edgegateway.filters.ratelimit.local;

import io.edgegateway.config.Quota;
import io.edgegateway.filters.ratelimit.BoundedKey;
import io.edgegateway.filters.ratelimit.LocalRateLimiter;
import io.edgegateway.filters.ratelimit.RateLimitDecision;

/**
 * One state per identity in concurrent maps (striped by the key's hash), each decided on under its
 * own monitor: threads contend only when they decide for the same identity. Keys are kept as
 * {@link BoundedKey}s, and no more identities than the store's {@link IdentityBudget} allows.
 *
 * <p>Eviction (idle, or to make room) marks a state evicted under its monitor before removing it,
 * so a thread that looked the state up just before never counts a request in a state that is no
 * longer in the map.
 */
abstract class IdentityLimiter<S extends IdentityState> implements LocalRateLimiter {

    private final IdentityBudget budget;
    private final StateStripe<S>[] stripes;
    private final int stripeBits;

    @SuppressWarnings("unchecked")
    IdentityLimiter(Quota quota, IdentityBudget budget) {
        this.budget = budget;
        int count = PackedIdentityTable.defaultStripes(Runtime.getRuntime().availableProcessors());
        this.stripes = new StateStripe[count];
        for (int i = 0; i < count; i++) {
            stripes[i] = new StateStripe<>(budget);
        }
        this.stripeBits = Integer.numberOfTrailingZeros(count);
        budget.register(stripes);
    }

    @Override
    public final RateLimitDecision decide(String key, long nowSeconds) {
        return decideAtMillis(key, nowSeconds * 1000);
    }

    @Override
    public final RateLimitDecision decideAtMillis(String key, long nowMillis) {
        String bounded = BoundedKey.of(key);
        StateStripe<S> stripe = stripeOf(bounded);
        for (;;) {
            S state = stripe.get(bounded);
            boolean known = state != null;
            if (!known) {
                state = admit(stripe, bounded, nowMillis);
                if (state == null) {
                    // Other new identities took every place made: decide as for a new one, keep nothing.
                    S unkept = newState(nowMillis);
                    synchronized (unkept) {
                        return decide(bounded, unkept, nowMillis);
                    }
                }
            }
            synchronized (state) {
                if (!state.isEvicted()) {
                    if (known) {
                        state.markUsed();
                    }
                    return decide(bounded, state, nowMillis);
                }
            }
        }
    }

    /** Adds a state for a new identity once the budget has a place for it; null if none could be made. */
    private S admit(StateStripe<S> stripe, String key, long nowMillis) {
        for (int attempt = 0; attempt < IdentityBudget.ADMIT_ATTEMPTS; attempt++) {
            if (budget.tryAdmit()) {
                return stripe.putIfAbsent(key, newState(nowMillis));
            }
            S present = stripe.get(key);
            if (present != null) {
                return present;
            }
            boolean evictedHere = stripe.size() >= Math.max(1, budget.fairShare()) && stripe.evictOne();
            if (!evictedHere) {
                budget.makeRoom();
            }
        }
        return null;
    }

    @Override
    public final void evictIdle(long nowSeconds) {
        evictIdleAtMillis(nowSeconds * 1000);
    }

    @Override
    public final void evictIdleAtMillis(long nowMillis) {
        for (StateStripe<S> stripe : stripes) {
            stripe.evictIdle(state -> isIdle(state, nowMillis));
        }
    }

    @Override
    public final int size() {
        int size = 0;
        for (StateStripe<S> stripe : stripes) {
            size += stripe.size();
        }
        return size;
    }

    /** The state of an identity seen for the first time (or again after eviction). */
    abstract S newState(long nowMillis);

    /** Decides and counts; called with the state's monitor held. */
    abstract RateLimitDecision decide(String key, S state, long nowMillis);

    /** Whether forgetting the state would change no later decision; called with the monitor held. */
    abstract boolean isIdle(S state, long nowMillis);

    /** The identity's current state, or null; for tests. */
    final S stateOf(String key) {
        String bounded = BoundedKey.of(key);
        return stripeOf(bounded).get(bounded);
    }

    private StateStripe<S> stripeOf(String boundedKey) {
        // The top bits, as in PackedIdentityTable; the map inside uses the low ones.
        return stripes[Integer.rotateLeft(PackedIdentityTable.hash(boundedKey), stripeBits) & (stripes.length - 1)];
    }
}
