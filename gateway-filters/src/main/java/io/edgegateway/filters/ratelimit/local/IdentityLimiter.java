package io.edgegateway.filters.ratelimit.local;

import io.edgegateway.config.Quota;
import io.edgegateway.filters.ratelimit.LocalRateLimiter;
import io.edgegateway.filters.ratelimit.RateLimitDecision;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One state per identity in a concurrent map, each decided on under its own monitor: threads
 * contend only when they decide for the same identity.
 *
 * <p>Eviction marks a state evicted under its monitor before removing it, so a thread that looked
 * the state up just before never counts a request in a state that is no longer in the map.
 */
abstract class IdentityLimiter<S extends IdentityState> implements LocalRateLimiter {

    /** N: requests allowed per window. */
    protected final int limit;
    /** T: the window, in seconds. */
    protected final int window;

    private final ConcurrentHashMap<String, S> states = new ConcurrentHashMap<>();

    IdentityLimiter(Quota quota) {
        IntQuota checked = IntQuota.of(quota);
        this.limit = checked.limit();
        this.window = checked.window();
    }

    @Override
    public final RateLimitDecision decide(String key, long nowSeconds) {
        for (;;) {
            S state = states.get(key);
            if (state == null) {
                state = states.computeIfAbsent(key, k -> newState(nowSeconds));
            }
            synchronized (state) {
                if (!state.isEvicted()) {
                    return decide(key, state, nowSeconds);
                }
            }
        }
    }

    @Override
    public final void evictIdle(long nowSeconds) {
        states.forEach((key, state) -> {
            synchronized (state) {
                if (!state.isEvicted() && isIdle(state, nowSeconds)) {
                    state.markEvicted();
                    states.remove(key, state);
                }
            }
        });
    }

    @Override
    public final int size() {
        return states.size();
    }

    /** The state of an identity seen for the first time (or again after eviction). */
    abstract S newState(long nowSeconds);

    /** Decides and counts; called with the state's monitor held. */
    abstract RateLimitDecision decide(String key, S state, long nowSeconds);

    /** Whether forgetting the state would change no later decision; called with the monitor held. */
    abstract boolean isIdle(S state, long nowSeconds);

    /** The identity's current state, or null; for tests. */
    final S stateOf(String key) {
        return states.get(key);
    }
}
