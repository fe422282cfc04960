package io.edgegateway.filters.ratelimit.local;

import io.edgegateway.config.Quota;
import io.edgegateway.filters.ratelimit.RateLimitDecision;

/**
 * Exact at the quota's resolution: time is counted in ticks of {@code resolution} (1s unless the
 * quota says otherwise), the window is W = T / resolution ticks, and for each identity at most N
 * requests are allowed among any W consecutive ticks. A request at tick k is allowed when fewer
 * than N were allowed in ticks k-W+1..k (so N at tick t and one more at t+W: that one is allowed);
 * a denied request is not counted. With a {@code burst} b the rule is floor(b×N) among any W ticks
 * and ceil(b)×N among any ceil(b)×W ticks (see {@link LogWindows}).
 *
 * <p>Memory per identity is O(min(N, W)): a (tick, count) pair per tick that had an allowed
 * request in the window, not one entry per request nor one slot per tick of the window.
 *
 * <p>Out-of-order timestamps (threads racing for one identity): a timestamp earlier than the
 * newest tick already counted for the identity is treated as that newest tick, so a late request
 * never frees capacity and the bound holds in counted ticks.
 *
 * <p>In a decision, {@code remaining} is what is left after this one, and {@code resetMillis} is
 * the time until the oldest counted request leaves the window: for a denial, exactly when the next
 * request will be allowed.
 *
 * <p>{@link #evictIdle} forgets an identity once its newest counted request is older than the
 * log's span, which is safe as long as no request arrives with a timestamp over a tick behind the
 * clock that eviction is given.
 */
public final class SlidingLogLimiter extends IdentityLimiter<SlidingLog> {

    private final LogWindows windows;
    private final SlidingLogObserver observer;

    /** With a budget of its own, {@code max-identities = auto}. */
    public SlidingLogLimiter(Quota quota) {
        this(quota, IdentityBudget.forHeap());
    }

    /** @param budget the identities this limiter may hold, shared with the store's other limiters */
    public SlidingLogLimiter(Quota quota, IdentityBudget budget) {
        this(quota, budget, SlidingLogObserver.NONE);
    }

    SlidingLogLimiter(Quota quota, SlidingLogObserver observer) {
        this(quota, IdentityBudget.forHeap(), observer);
    }

    SlidingLogLimiter(Quota quota, IdentityBudget budget, SlidingLogObserver observer) {
        super(quota, budget);
        this.windows = LogWindows.of(quota);
        this.observer = observer;
    }

    @Override
    SlidingLog newState(long nowMillis) {
        return new SlidingLog();
    }

    @Override
    RateLimitDecision decide(String key, SlidingLog log, long nowMillis) {
        long requested = windows.tickOf(nowMillis);
        long tick = log.countedTick(requested);
        RateLimitDecision decision = log.decide(tick, nowMillis, windows);
        observer.decided(key, requested, tick, decision);
        return decision;
    }

    @Override
    boolean isIdle(SlidingLog log, long nowMillis) {
        return log.isIdle(windows.tickOf(nowMillis), windows.spanTicks());
    }
}
