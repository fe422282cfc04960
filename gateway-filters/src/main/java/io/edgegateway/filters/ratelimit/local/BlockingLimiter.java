package io.edgegateway.filters.ratelimit.local;

import io.edgegateway.config.Quota;
import io.edgegateway.filters.ratelimit.BoundedKey;
import io.edgegateway.filters.ratelimit.LocalRateLimiter;
import io.edgegateway.filters.ratelimit.RateLimitDecision;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code block-for} in memory, around any limiter: an identity denied while it already had a
 * denial less than one window T earlier is blocked for {@code block-for} from that second denial;
 * while blocked every request is denied without reaching the limiter, with the time until the block
 * ends as its reset. Requests denied during a block neither extend it nor count as denials.
 *
 * <p>Only denied identities are held, each as one immutable entry replaced on its next denial, and
 * at most {@code maxEntries} of them: beyond that a new denial is not remembered (the limiter still
 * denies it; it only may not lead to a block). Allowed requests cost one map lookup.
 */
final class BlockingLimiter implements LocalRateLimiter {

    /** The identity's last denial that counted, and the end of its block (0: none). */
    private record Denial(long lastDeniedMillis, long blockedUntilMillis) {
    }

    private final LocalRateLimiter limiter;
    private final long requests;
    private final long windowMillis;
    private final long blockMillis;
    private final int maxEntries;
    private final ConcurrentHashMap<String, Denial> denials = new ConcurrentHashMap<>();

    BlockingLimiter(LocalRateLimiter limiter, Quota quota, int maxEntries) {
        this.limiter = limiter;
        this.requests = quota.requests();
        this.windowMillis = quota.window().toMillis();
        this.blockMillis = quota.blockFor().toMillis();
        this.maxEntries = maxEntries;
    }

    @Override
    public RateLimitDecision decide(String key, long nowSeconds) {
        return decideAtMillis(key, nowSeconds * 1000);
    }

    @Override
    public RateLimitDecision decideAtMillis(String key, long nowMillis) {
        String bounded = BoundedKey.of(key);
        Denial before = denials.isEmpty() ? null : denials.get(bounded);
        if (before != null && nowMillis < before.blockedUntilMillis) {
            return RateLimitDecision.deniedMillis(requests, before.blockedUntilMillis - nowMillis);
        }
        RateLimitDecision decision = limiter.decideAtMillis(bounded, nowMillis);
        if (decision.allowed() || (before == null && denials.size() >= maxEntries)) {
            return decision;
        }
        Denial after = denials.compute(bounded, (k, last) -> {
            if (last != null && nowMillis < last.blockedUntilMillis) {
                return last; // blocked meanwhile by another thread
            }
            boolean again = last != null && nowMillis - last.lastDeniedMillis < windowMillis;
            return new Denial(nowMillis, again ? nowMillis + blockMillis : 0);
        });
        return nowMillis < after.blockedUntilMillis
                ? RateLimitDecision.deniedMillis(requests, after.blockedUntilMillis - nowMillis)
                : decision;
    }

    @Override
    public void evictIdle(long nowSeconds) {
        evictIdleAtMillis(nowSeconds * 1000);
    }

    @Override
    public void evictIdleAtMillis(long nowMillis) {
        limiter.evictIdleAtMillis(nowMillis);
        denials.values().removeIf(d -> d.blockedUntilMillis <= nowMillis && nowMillis - d.lastDeniedMillis >= windowMillis);
    }

    @Override
    public int size() {
        return limiter.size();
    }

    /** Identities denied lately or blocked; for tests. */
    int denialsHeld() {
        return denials.size();
    }
}
