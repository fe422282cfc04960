package io.edgegateway.filters.hedge;

import io.edgegateway.filters.ReplaySafety;
import io.edgegateway.config.HedgeConfig;
import io.edgegateway.config.HedgeDelay;
import io.edgegateway.filters.latency.LatencySnapshot;
import io.edgegateway.filters.latency.LatencyWindow;
import java.util.function.LongSupplier;

/**
 * A route's {@code hedge}: which requests may be sent twice, after how long, and whether the
 * budget allows one more copy. The delay is fixed or a percentile of the route's live latency;
 * a percentile waits until the window holds {@value #MIN_SAMPLES} requests, so a route that has
 * just started never hedges on a guess.
 */
public final class HedgePolicy {

    /** Requests the live window must hold before a percentile delay is trusted. */
    public static final long MIN_SAMPLES = 50;

    /** The answer of {@link #delayNanos} for a request that is not hedged. */
    public static final long NO_HEDGE = -1;

    private final HedgeConfig config;
    private final LatencyWindow window;
    private final ThreadLocal<HedgeBudget> budgets;

    public HedgePolicy(HedgeConfig config, LatencyWindow window, LongSupplier nanoClock) {
        this.config = config;
        this.window = window;
        this.budgets = ThreadLocal.withInitial(() -> new HedgeBudget(config.maxExtraPercent(), nanoClock));
    }

    /** Only requests that can be sent twice without harm: {@link ReplaySafety#mayHedge}. */
    public static boolean mayHedge(String method, boolean hasBody) {
        return ReplaySafety.mayHedge(method, hasBody);
    }

    /**
     * How long to wait for the first attempt's response head before sending a copy, or
     * {@link #NO_HEDGE}; counts the request in this thread's budget when it may be hedged.
     */
    public long delayNanos(String method, boolean hasBody) {
        if (!mayHedge(method, hasBody)) {
            return NO_HEDGE;
        }
        budgets.get().onRequest();
        HedgeDelay after = config.after();
        if (after instanceof HedgeDelay.Fixed fixed) {
            return fixed.delay().toNanos();
        }
        LatencySnapshot snapshot = window.snapshot();
        if (snapshot.count() < MIN_SAMPLES) {
            return NO_HEDGE;
        }
        return snapshot.quantileNanos(((HedgeDelay.Percentile) after).quantile());
    }

    /** Takes a hedge from this thread's budget when the delay has passed; false: the budget is spent. */
    public boolean tryHedge() {
        return budgets.get().tryHedge();
    }

    /** The percentile the delay follows, for the window to precompute; NaN for a fixed delay. */
    public static double quantileOf(HedgeConfig config) {
        return config.after() instanceof HedgeDelay.Percentile percentile ? percentile.quantile() : Double.NaN;
    }
}
