package io.edgegateway.server.routing;

import io.edgegateway.config.HedgeConfig;
import io.edgegateway.config.LoadSheddingConfig;
import io.edgegateway.config.RouteConfig;
import io.edgegateway.filters.hedge.HedgePolicy;
import io.edgegateway.filters.latency.LatencyWindow;
import io.edgegateway.filters.shed.LoadShedder;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * What a route learns while it serves: its live latency window, its hedge budget and its shedder's
 * state. A reload hands a route that keeps its id the state it had, each part kept while its own
 * settings stay: a reload that changes a rate limit loses none of it; one that changes the hedge
 * keeps the window and the shedder.
 */
final class RouteLiveState {

    /** The live window is kept in this many slices, each at least {@link Route#MIN_SLICE_NANOS}. */
    static final int SLICES = 10;

    private final Duration window;
    private final double hedgeQuantile;
    private final Optional<HedgeConfig> hedgeConfig;
    private final Optional<LoadSheddingConfig> sheddingConfig;
    private final long sliceNanos;
    /** When the window last rotated: written by the ticker, read by the next table's route after a reload. */
    private volatile long lastRotation;
    final LatencyWindow latencyWindow;
    final HedgePolicy hedge;
    final LoadShedder shedder;

    private RouteLiveState(Duration window, double hedgeQuantile, Optional<HedgeConfig> hedgeConfig,
            Optional<LoadSheddingConfig> sheddingConfig, long sliceNanos, LatencyWindow latencyWindow, HedgePolicy hedge,
            LoadShedder shedder) {
        this.window = window;
        this.hedgeQuantile = hedgeQuantile;
        this.hedgeConfig = hedgeConfig;
        this.sheddingConfig = sheddingConfig;
        this.sliceNanos = sliceNanos;
        this.latencyWindow = latencyWindow;
        this.hedge = hedge;
        this.shedder = shedder;
    }

    /** The state for {@code config}: {@code previous}'s parts where their settings did not change (null: all new). */
    static RouteLiveState of(RouteConfig config, Optional<LoadSheddingConfig> globalShedding, RouteLiveState previous) {
        Optional<LoadSheddingConfig> shedding = config.loadShedding().effective(globalShedding);
        long windowNanos = shedding.map(LoadSheddingConfig::window).orElse(LoadSheddingConfig.DEFAULT_WINDOW).toNanos();
        long sliceNanos = Math.max(Route.MIN_SLICE_NANOS, windowNanos / SLICES);
        int slices = (int) Math.max(1, Math.round((double) windowNanos / sliceNanos));
        Duration window = Duration.ofNanos(sliceNanos * slices);
        double hedgeQuantile = config.hedge().map(HedgePolicy::quantileOf).orElse(Double.NaN);
        boolean sameWindow = previous != null && previous.window.equals(window)
                && Double.compare(previous.hedgeQuantile, hedgeQuantile) == 0;
        LatencyWindow latencyWindow = sameWindow ? previous.latencyWindow
                : Double.isNaN(hedgeQuantile) ? new LatencyWindow(window, slices)
                : new LatencyWindow(window, slices, hedgeQuantile);
        HedgePolicy hedge = sameWindow && previous.hedgeConfig.equals(config.hedge()) ? previous.hedge
                : config.hedge().map(hedgeConfig -> new HedgePolicy(hedgeConfig, latencyWindow, System::nanoTime))
                        .orElse(null);
        LoadShedder shedder = sameWindow && sameController(previous.sheddingConfig, shedding) ? previous.shedder
                : shedding.map(sheddingConfig -> new LoadShedder(sheddingConfig, latencyWindow,
                        () -> ThreadLocalRandom.current().nextDouble())).orElse(null);
        RouteLiveState state = new RouteLiveState(window, hedgeQuantile, config.hedge(), shedding, sliceNanos,
                latencyWindow, hedge, shedder);
        if (sameWindow) {
            state.lastRotation = previous.lastRotation;
        }
        return state;
    }

    /** Whether both shed alike (or neither sheds): who may set priorities is the filters' business, not the shedder's. */
    private static boolean sameController(Optional<LoadSheddingConfig> before, Optional<LoadSheddingConfig> now) {
        return before.isPresent() == now.isPresent() && (before.isEmpty() || before.get().sameController(now.get()));
    }

    /**
     * Rotates the window once its slice has passed, and lets the shedder react; called by one ticker
     * thread, often enough for the shortest slice.
     */
    void tick(long nowNanos) {
        if (nowNanos - lastRotation >= sliceNanos) {
            lastRotation = nowNanos;
            latencyWindow.rotate();
            if (shedder != null) {
                shedder.tick();
            }
        }
    }
}
