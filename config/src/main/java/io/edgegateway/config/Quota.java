package io.edgegateway.config;

import java.time.Duration;
import java.util.Objects;

/**
 * At most {@code requests} per identity in any {@code window}, judged at {@code resolution}: time
 * is counted in ticks of that length, and the window is a whole number of them (the window itself a
 * whole number of seconds, the resolution a whole number of milliseconds from 10ms to the window).
 *
 * @param burst with sliding-log, up to {@code floor(burst × requests)} in any window while at most
 *     {@code ceil(burst) × requests} in any {@code ceil(burst)} windows; with token-bucket, a bucket
 *     of {@code floor(burst × requests)} tokens refilled {@code requests} per window; 1: no burst
 * @param blockFor how long an identity denied a second time within one window is then denied
 *     outright; {@link Duration#ZERO}: never blocked
 */
public record Quota(long requests, Duration window, Duration resolution, double burst, Duration blockFor) {

    public static final Duration DEFAULT_RESOLUTION = Duration.ofSeconds(1);
    public static final Duration MIN_RESOLUTION = Duration.ofMillis(10);
    /** The largest burst accepted: a log kept over more windows than this is not worth its memory. */
    public static final double MAX_BURST = 16;

    public Quota {
        Objects.requireNonNull(window, "window");
        Objects.requireNonNull(resolution, "resolution");
        Objects.requireNonNull(blockFor, "blockFor");
        if (requests <= 0) {
            throw new IllegalArgumentException("requests: " + requests + " (expected: > 0)");
        }
        if (window.toSeconds() < 1 || window.toNanosPart() != 0) {
            throw new IllegalArgumentException("window: " + window + " (expected: a whole number of seconds >= 1s)");
        }
        if (!isValidResolution(window, resolution)) {
            throw new IllegalArgumentException("resolution: " + resolution + " (expected: " + RESOLUTION_RULE + ")");
        }
        if (!(burst >= 1 && burst <= MAX_BURST) || floorBurst(burst, requests) < requests) {
            throw new IllegalArgumentException("burst: " + burst + " (expected: a number in 1.." + (int) MAX_BURST + ")");
        }
        if (blockFor.isNegative() || blockFor.toNanosPart() % 1_000_000 != 0) {
            throw new IllegalArgumentException("block-for: " + blockFor + " (expected: a whole number of milliseconds >= 0)");
        }
    }

    /** No finer resolution than a second, no burst, no block: the seed's quota. */
    public Quota(long requests, Duration window) {
        this(requests, window, DEFAULT_RESOLUTION, 1, Duration.ZERO);
    }

    public Quota(long requests, Duration window, Duration resolution) {
        this(requests, window, resolution, 1, Duration.ZERO);
    }

    /** One of {@code parts} gateways' share of this quota (at least one request), its other settings kept. */
    public Quota share(long parts) {
        return new Quota(Math.max(1, requests / parts), window, resolution, burst, blockFor);
    }

    static final String RESOLUTION_RULE = "a whole number of milliseconds >= 10ms that divides the window";

    static boolean isValidResolution(Duration window, Duration resolution) {
        if (resolution.compareTo(MIN_RESOLUTION) < 0 || resolution.compareTo(window) > 0
                || resolution.toNanosPart() % 1_000_000 != 0) {
            return false;
        }
        return window.toMillis() % resolution.toMillis() == 0;
    }

    /** Ticks per window: T / resolution. */
    public long windowTicks() {
        return window.toMillis() / resolution.toMillis();
    }

    /** At most this many in any one window: {@code floor(burst × requests)}. */
    public long burstLimit() {
        return floorBurst(burst, requests);
    }

    /** floor(burst × requests), forgiving the binary rounding of a decimal burst such as 1.15. */
    private static long floorBurst(double burst, long requests) {
        return (long) Math.floor(burst * requests + 1e-9);
    }

    /** The windows a burst is paid back over, {@code ceil(burst)}: at most that many × requests in that many windows. */
    public int burstWindows() {
        return (int) Math.ceil(burst);
    }
}
