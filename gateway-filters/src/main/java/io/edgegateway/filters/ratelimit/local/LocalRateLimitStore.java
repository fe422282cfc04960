package io.edgegateway.filters.ratelimit.local;

import io.edgegateway.config.Algorithm;
import io.edgegateway.config.Quota;
import io.edgegateway.filters.ratelimit.LocalRateLimiter;
import io.edgegateway.filters.ratelimit.RateLimitDecision;
import io.edgegateway.filters.ratelimit.RateLimitStore;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * The filter's store when {@code store = local}: one in-memory limiter per distinct quota, decided
 * on the caller's thread (the stage is already complete), with idle identities evicted every
 * 10 seconds by a daemon thread that {@link #close()} stops. All its limiters share one
 * {@link IdentityBudget}: {@code rate-limit.local.max-identities} bounds the store as a whole.
 * Its clock is in milliseconds, so a quota with a finer {@code resolution} is judged at it; a store
 * given a clock in whole seconds judges every quota at whole seconds.
 */
public final class LocalRateLimitStore implements RateLimitStore {

    static final Duration EVICTION_PERIOD = Duration.ofSeconds(10);

    private final LongSupplier nowMillis;
    private final IdentityBudget budget;
    private final ConcurrentHashMap<Quota, LocalRateLimiter> limiters = new ConcurrentHashMap<>();
    private final Function<Quota, LocalRateLimiter> newLimiter;
    private final ScheduledExecutorService evictor;

    /** With the system clock and {@code max-identities = auto}. */
    public LocalRateLimitStore(Algorithm algorithm) {
        this(algorithm, IdentityBudget.forHeap());
    }

    /** With the system clock, to the millisecond. */
    public LocalRateLimitStore(Algorithm algorithm, IdentityBudget budget) {
        this(algorithm, budget, System::currentTimeMillis, EVICTION_PERIOD);
    }

    /** With a clock in whole seconds and {@code max-identities = auto}. */
    public LocalRateLimitStore(Algorithm algorithm, LongSupplier nowSeconds) {
        this(algorithm, nowSeconds, IdentityBudget.forHeap());
    }

    /** With a clock in whole seconds: every quota is judged at whole seconds. */
    public LocalRateLimitStore(Algorithm algorithm, LongSupplier nowSeconds, IdentityBudget budget) {
        this(algorithm, nowSeconds, budget, EVICTION_PERIOD);
    }

    LocalRateLimitStore(Algorithm algorithm, LongSupplier nowSeconds, IdentityBudget budget, Duration evictionPeriod) {
        this(algorithm, budget, inMillis(Objects.requireNonNull(nowSeconds, "nowSeconds")), evictionPeriod);
    }

    /** With a clock in milliseconds (tests drive it by hand). */
    public static LocalRateLimitStore withMillisClock(Algorithm algorithm, LongSupplier nowMillis, IdentityBudget budget) {
        return new LocalRateLimitStore(algorithm, budget, nowMillis, EVICTION_PERIOD);
    }

    private static LongSupplier inMillis(LongSupplier nowSeconds) {
        return () -> nowSeconds.getAsLong() * 1000;
    }

    private LocalRateLimitStore(Algorithm algorithm, IdentityBudget budget, LongSupplier nowMillis, Duration evictionPeriod) {
        Objects.requireNonNull(algorithm, "algorithm");
        this.nowMillis = Objects.requireNonNull(nowMillis, "nowMillis");
        this.budget = Objects.requireNonNull(budget, "budget");
        this.newLimiter = quota -> LocalLimiters.create(algorithm, quota, budget);
        this.evictor = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "local-rate-limit-eviction");
            thread.setDaemon(true);
            return thread;
        });
        long period = evictionPeriod.toMillis();
        evictor.scheduleWithFixedDelay(this::evictIdle, period, period, TimeUnit.MILLISECONDS);
    }

    @Override
    public CompletionStage<RateLimitDecision> decide(String key, Quota quota) {
        LocalRateLimiter limiter = limiters.get(quota);
        if (limiter == null) {
            limiter = limiters.computeIfAbsent(quota, newLimiter);
        }
        return CompletableFuture.completedFuture(limiter.decideAtMillis(key, nowMillis.getAsLong()));
    }

    /** Forgets idle identities in every quota's limiter; runs periodically on its own. */
    public void evictIdle() {
        long now = nowMillis.getAsLong();
        limiters.values().forEach(limiter -> limiter.evictIdleAtMillis(now));
    }

    /** The bound on identities held over all quotas, with what it holds and evicted. */
    public IdentityBudget budget() {
        return budget;
    }

    /** Identities held, over all quotas. */
    public int size() {
        return limiters.values().stream().mapToInt(LocalRateLimiter::size).sum();
    }

    @Override
    public void close() {
        evictor.shutdownNow();
    }

    boolean isClosed() {
        return evictor.isTerminated();
    }
}
