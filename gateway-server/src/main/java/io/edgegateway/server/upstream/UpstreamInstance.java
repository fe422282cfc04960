package io.edgegateway.server.upstream;

import io.edgegateway.filters.metrics.GatewayMetrics;
import io.edgegateway.server.upstream.health.OutlierState;
import io.prometheus.client.Histogram;

/**
 * One instance of a route's upstream: its address and its health, both kept across reloads while
 * the instance stays in the route. Read by every event loop; the health fields are volatile and
 * the outlier state is lock-free, so choosing an instance takes no lock.
 */
public final class UpstreamInstance {

    /** {@link #backSinceNanos} of an instance that has been in rotation all along. */
    static final long NEVER_OUT = Long.MIN_VALUE;

    private final UpstreamCluster cluster;
    private final UpstreamAddress address;
    /**
     * Its {@code gateway_upstream_duration_seconds} series, held rather than looked up by label per
     * response; dropped from the registry when the instance leaves its route, so a response still
     * on its way then is not counted, and does not bring the series back.
     */
    private final Histogram.Child responseWaits;
    /** Its passive outlier state, or null while the route's outlier detection is off. */
    private volatile OutlierState outlier;
    /** False after the active health check failed {@code unhealthy-threshold} times in a row. */
    private volatile boolean passingHealthCheck = true;
    /** When its health check passed again, or it joined a route already serving: its slow start; else {@link #NEVER_OUT}. */
    private volatile long backSinceNanos = NEVER_OUT;
    /** The start of its last slow start known to be over (written only with that same value, so a race loses nothing). */
    private volatile long warmSinceNanos = NEVER_OUT;

    UpstreamInstance(UpstreamCluster cluster, UpstreamAddress address, Histogram.Child responseWaits) {
        this.cluster = cluster;
        this.address = address;
        this.responseWaits = responseWaits;
    }

    /** From its request head sent to its response head. */
    public void recordResponseWait(long nanos) {
        responseWaits.observe(nanos / GatewayMetrics.NANOS_PER_SECOND);
    }

    public UpstreamAddress address() {
        return address;
    }

    /** The {@code upstream} label of its metrics. */
    public String label() {
        return address.label();
    }

    /** Whether it may get new requests: not ejected, and passing its health check where there is one. */
    public boolean inRotation() {
        return passingHealthCheck && !cluster.ejected(this);
    }

    /** How one attempt on it ended; called once per attempt. */
    public void report(AttemptOutcome outcome) {
        cluster.report(this, outcome);
    }

    /** Its active health check changed its verdict. */
    public void healthCheckChanged(boolean healthy) {
        cluster.healthChanged(this, healthy);
    }

    OutlierState outlier() {
        return outlier;
    }

    void outlier(OutlierState state) {
        this.outlier = state;
    }

    boolean passingHealthCheck() {
        return passingHealthCheck;
    }

    void passingHealthCheck(boolean passing) {
        this.passingHealthCheck = passing;
    }

    long backSinceNanos() {
        return backSinceNanos;
    }

    void backSinceNanos(long nanos) {
        this.backSinceNanos = nanos;
    }

    long warmSinceNanos() {
        return warmSinceNanos;
    }

    void warmSinceNanos(long nanos) {
        this.warmSinceNanos = nanos;
    }

    @Override
    public String toString() {
        return address.label();
    }
}
