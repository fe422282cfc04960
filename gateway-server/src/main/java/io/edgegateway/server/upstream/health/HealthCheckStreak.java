package io.edgegateway.server.upstream.health;

/**
 * The health of one instance from its check results: it changes only after a run of results that
 * disagree with it, so one lost probe does not eject an instance and one lucky probe does not
 * bring it back. Not thread-safe: fed by one event loop.
 */
final class HealthCheckStreak {

    private final int healthyThreshold;
    private final int unhealthyThreshold;
    private boolean healthy;
    /** Consecutive results that disagree with {@link #healthy}. */
    private int disagreeing;

    HealthCheckStreak(int healthyThreshold, int unhealthyThreshold) {
        this(healthyThreshold, unhealthyThreshold, true);
    }

    /** {@code startHealthy}: the verdict to start from (a check restarted with new settings keeps the old one). */
    HealthCheckStreak(int healthyThreshold, int unhealthyThreshold, boolean startHealthy) {
        if (healthyThreshold < 1) {
            throw new IllegalArgumentException("healthyThreshold: " + healthyThreshold + " (expected: > 0)");
        }
        if (unhealthyThreshold < 1) {
            throw new IllegalArgumentException("unhealthyThreshold: " + unhealthyThreshold + " (expected: > 0)");
        }
        this.healthyThreshold = healthyThreshold;
        this.unhealthyThreshold = unhealthyThreshold;
        this.healthy = startHealthy;
    }

    /** Takes one check result; true when it changed the health. */
    boolean record(boolean good) {
        if (good == healthy) {
            disagreeing = 0;
            return false;
        }
        disagreeing++;
        if (disagreeing < (healthy ? unhealthyThreshold : healthyThreshold)) {
            return false;
        }
        healthy = good;
        disagreeing = 0;
        return true;
    }

    boolean healthy() {
        return healthy;
    }
}
