package io.edgegateway.server.upstream;

import io.edgegateway.config.HealthCheck;
import io.edgegateway.config.OutlierDetection;
import io.edgegateway.config.RouteConfig;
import io.edgegateway.filters.metrics.GatewayMetrics;
import io.edgegateway.server.upstream.health.HealthChecker;
import io.edgegateway.server.upstream.health.OutlierDetector;
import io.edgegateway.server.upstream.health.OutlierState;
import io.edgegateway.server.upstream.retry.RetryBudget;
import io.netty.handler.ssl.SslContext;
import io.prometheus.client.Counter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongSupplier;

/**
 * A route's upstream instances with what is known of their health, the balancer that picks one,
 * and the route's retry budget. Kept in the {@link UpstreamRegistry} across reloads: a reload that
 * keeps the route keeps this object, so an ejected instance stays ejected and the budget keeps
 * counting. Choosing and reporting run on every event loop without a lock; {@link #configure}
 * (reloads, DNS changes) is synchronised and off the request path.
 */
public final class UpstreamCluster {

    private static final System.Logger LOG = System.getLogger(UpstreamCluster.class.getName());
    static final String OUTLIER = "outlier";
    static final String HEALTH_CHECK = "health_check";
    /** The share of its requests an instance gets at the start of its slow start (Envoy's default minimum weight). */
    static final double SLOW_START_FIRST_SHARE = 0.1;

    private final String route;
    private final GatewayMetrics metrics;
    private final HealthChecker healthChecker;
    private final Optional<SslContext> tls;
    private final LongSupplier nanoTime;
    private final Counter.Child[] retries = new Counter.Child[AttemptOutcome.Retry.values().length];
    private volatile List<UpstreamInstance> instances = List.of();
    private volatile UpstreamBalancer balancer;
    /** Null while outlier detection is off for the route. */
    private volatile OutlierDetector detector;
    /** One budget per event loop, as hedging's: counting a request is then no write shared between cores. */
    private volatile ThreadLocal<RetryBudget> retryBudgets;
    /** The route's slow-start; 0: none. */
    private volatile long slowStartNanos;
    // Guarded by this: only configure and close touch them.
    private RouteConfig config;
    private final Map<UpstreamInstance, HealthChecker.Handle> checks = new HashMap<>();

    UpstreamCluster(String route, GatewayMetrics metrics, HealthChecker healthChecker, Optional<SslContext> tls,
            LongSupplier nanoTime) {
        this.route = route;
        this.metrics = metrics;
        this.healthChecker = healthChecker;
        this.tls = tls;
        this.nanoTime = nanoTime;
        for (AttemptOutcome.Retry reason : AttemptOutcome.Retry.values()) {
            retries[reason.ordinal()] = metrics.retries.labels(route, reason.label);
        }
    }

    /**
     * Takes a route's (new) configuration and the instances its upstreams resolve to: instances that
     * stay keep their state, new ones start in rotation, gone ones are dropped with their series.
     */
    synchronized void configure(RouteConfig newConfig, List<UpstreamAddress> addresses) {
        RouteConfig old = config;
        config = newConfig;
        if (old == null || old.loadBalancing() != newConfig.loadBalancing()) {
            balancer = UpstreamBalancer.of(newConfig.loadBalancing());
        }
        if (old == null || old.retries().budgetPercent() != newConfig.retries().budgetPercent()) {
            double percent = newConfig.retries().budgetPercent();
            retryBudgets = ThreadLocal.withInitial(
                    () -> new RetryBudget(percent, RetryBudget.DEFAULT_MIN_PER_SECOND, nanoTime));
        }
        slowStartNanos = newConfig.slowStart().toNanos();
        OutlierDetector previousDetector = detector;
        detector = detector(newConfig.outlierDetection(), previousDetector);
        Map<UpstreamAddress, UpstreamInstance> current = new HashMap<>();
        for (UpstreamInstance instance : instances) {
            current.put(instance.address(), instance);
        }
        List<UpstreamInstance> next = new ArrayList<>(addresses.size());
        for (UpstreamAddress address : addresses) {
            UpstreamInstance kept = current.remove(address);
            next.add(kept != null ? kept : added(address, old != null));
        }
        for (UpstreamInstance gone : current.values()) {
            removed(gone, previousDetector);
        }
        OutlierDetector now = detector;
        for (UpstreamInstance instance : next) {
            if (now == null) {
                instance.outlier(null);
            } else if (now != previousDetector || instance.outlier() == null) {
                instance.outlier(now.register());
            }
        }
        instances = List.copyOf(next);
        boolean checkChanged = old == null || !old.healthCheck().equals(newConfig.healthCheck());
        for (UpstreamInstance instance : next) {
            if (checkChanged || !checks.containsKey(instance)) {
                watch(instance, newConfig.healthCheck());
            }
        }
    }

    /** The route's configuration as last given, or null before the first. */
    synchronized RouteConfig config() {
        return config;
    }

    private OutlierDetector detector(Optional<OutlierDetection> settings, OutlierDetector previous) {
        if (settings.isEmpty()) {
            return null;
        }
        OutlierDetection s = settings.get();
        if (previous != null) {
            previous.reconfigure(s.consecutiveFailures(), s.baseEjection().toNanos(), s.maxEjectionPercent());
            return previous;
        }
        return new OutlierDetector(s.consecutiveFailures(), s.baseEjection().toNanos(), s.maxEjectionPercent(), nanoTime);
    }

    /** A new instance; one that joins a route already serving (DNS, reload) starts slowly, as a restarted one. */
    private UpstreamInstance added(UpstreamAddress address, boolean routeServing) {
        metrics.upstreamEjections.labels(route, address.label(), OUTLIER);
        metrics.upstreamEjections.labels(route, address.label(), HEALTH_CHECK);
        UpstreamInstance instance = new UpstreamInstance(this, address,
                metrics.upstreamDuration.labels(route, address.label()));
        if (routeServing) {
            instance.backSinceNanos(nanoTime.getAsLong());
        }
        return instance;
    }

    private void removed(UpstreamInstance gone, OutlierDetector previousDetector) {
        HealthChecker.Handle check = checks.remove(gone);
        if (check != null) {
            check.cancel();
        }
        if (previousDetector != null && gone.outlier() != null) {
            previousDetector.unregister(gone.outlier());
        }
        metrics.upstreamEjections.remove(route, gone.label(), OUTLIER);
        metrics.upstreamEjections.remove(route, gone.label(), HEALTH_CHECK);
        metrics.forgetUpstream(route, gone.label());
    }

    private void watch(UpstreamInstance instance, Optional<HealthCheck> settings) {
        HealthChecker.Handle previous = checks.remove(instance);
        if (previous != null) {
            previous.cancel();
        }
        if (settings.isEmpty() || healthChecker == null) {
            instance.passingHealthCheck(true);
            return;
        }
        HealthCheck check = settings.get();
        UpstreamAddress address = instance.address();
        checks.put(instance, healthChecker.watch(instance, address.socketAddress(), address.host(),
                address.tls() ? tls : Optional.empty(), check.path(), check.interval(), check.timeout(),
                check.healthyThreshold(), check.unhealthyThreshold(), instance.passingHealthCheck()));
    }

    /** The active check of {@code instance} changed its verdict. */
    void healthChanged(UpstreamInstance instance, boolean healthy) {
        if (instance.passingHealthCheck() == healthy) {
            return;
        }
        instance.passingHealthCheck(healthy);
        if (!healthy) {
            metrics.upstreamEjections.labels(route, instance.label(), HEALTH_CHECK).inc();
        } else {
            instance.backSinceNanos(nanoTime.getAsLong());
            readmitFromOutlierEjection(instance);
        }
        LOG.log(System.Logger.Level.WARNING, "route {0}: upstream {1} {2} its health check", route, instance.label(),
                healthy ? "passes" : "fails");
    }

    /**
     * An instance whose active check passes again (a restarted process) is back at once, its
     * outlier standing started afresh, rather than waiting out an ejection earned while it was down
     * (as Envoy does by default); if it fails again, outlier detection ejects it again.
     */
    private void readmitFromOutlierEjection(UpstreamInstance instance) {
        OutlierDetector current = detector;
        OutlierState state = instance.outlier();
        if (current == null || state == null || !current.isEjected(state)) {
            return;
        }
        instance.outlier(current.register());
        current.unregister(state);
        LOG.log(System.Logger.Level.INFO, "route {0}: upstream {1} readmitted: its health check passes", route,
                instance.label());
    }

    /** Stops the route's health checks and drops its series: the route is gone. */
    synchronized void close() {
        OutlierDetector current = detector;
        for (UpstreamInstance instance : instances) {
            removed(instance, current);
        }
        for (AttemptOutcome.Retry reason : AttemptOutcome.Retry.values()) {
            metrics.retries.remove(route, reason.label);
        }
        instances = List.of();
    }

    /**
     * The instance for the next attempt: one in rotation, not in {@code tried[0..triedCount)} when
     * there is such a one, else one in rotation already tried; null when none is in rotation. Called
     * on the request's event loop.
     */
    public UpstreamInstance choose(UpstreamPools pools, UpstreamInstance[] tried, int triedCount) {
        List<UpstreamInstance> all = instances;
        if (all.size() == 1) {
            UpstreamInstance only = all.get(0);
            return only.inRotation() ? only : null;
        }
        boolean allFree = true;
        for (int i = 0; i < all.size() && allFree; i++) {
            UpstreamInstance instance = all.get(i);
            allFree = instance.inRotation() && !contains(tried, triedCount, instance);
        }
        if (allFree) {
            return choose(all, pools);
        }
        List<UpstreamInstance> untried = new ArrayList<>(all.size());
        List<UpstreamInstance> inRotation = new ArrayList<>(all.size());
        for (UpstreamInstance instance : all) {
            if (instance.inRotation()) {
                inRotation.add(instance);
                if (!contains(tried, triedCount, instance)) {
                    untried.add(instance);
                }
            }
        }
        if (!untried.isEmpty()) {
            return choose(untried, pools);
        }
        return inRotation.isEmpty() ? null : choose(inRotation, pools);
    }

    /**
     * The balancer's pick among {@code candidates} (every one in rotation and allowed), passed over
     * for a warmer candidate with the odds of its slow start: an instance in its slow start is kept
     * with probability {@link #share}, so its part of the requests grows from a tenth to all of it.
     */
    private UpstreamInstance choose(List<UpstreamInstance> candidates, UpstreamPools pools) {
        int size = candidates.size();
        if (size == 1) {
            return candidates.get(0);
        }
        UpstreamInstance chosen = balancer.choose(candidates, pools);
        long window = slowStartNanos;
        if (window == 0) {
            return chosen;
        }
        double share = share(chosen, window);
        if (share >= 1 || ThreadLocalRandom.current().nextDouble() < share) {
            return chosen;
        }
        // From a random start, so that the requests passed over spread across the warm instances.
        int start = ThreadLocalRandom.current().nextInt(size);
        UpstreamInstance warmer = chosen;
        double warmest = share;
        for (int i = 0; i < size; i++) {
            UpstreamInstance candidate = candidates.get((start + i) % size);
            if (candidate == chosen) {
                continue;
            }
            double candidateShare = share(candidate, window);
            if (candidateShare >= 1) {
                return candidate;
            }
            if (candidateShare > warmest) {
                warmer = candidate;
                warmest = candidateShare;
            }
        }
        return warmer;
    }

    /**
     * The part of its requests {@code instance} takes now: 1, or during the {@code window} after it came
     * back into rotation (its health check passing again, its outlier ejection over, or joining a
     * serving route), growing evenly from {@link #SLOW_START_FIRST_SHARE} to 1. Once a slow start is
     * over the instance remembers it, so a warm instance costs no clock read.
     */
    double share(UpstreamInstance instance, long window) {
        long since = backInRotationSince(instance);
        if (since == UpstreamInstance.NEVER_OUT || since == instance.warmSinceNanos()) {
            return 1;
        }
        long elapsed = nanoTime.getAsLong() - since;
        if (elapsed >= window) {
            instance.warmSinceNanos(since);
            return 1;
        }
        return SLOW_START_FIRST_SHARE + (1 - SLOW_START_FIRST_SHARE) * Math.max(0, elapsed) / window;
    }

    /** The later of its health check passing again (or joining) and its last outlier ejection ending. */
    private long backInRotationSince(UpstreamInstance instance) {
        long since = instance.backSinceNanos();
        OutlierDetector current = detector;
        OutlierState state = instance.outlier();
        if (current == null || state == null) {
            return since;
        }
        long readmitted = current.readmittedAtNanos(state, UpstreamInstance.NEVER_OUT);
        boolean later = readmitted != UpstreamInstance.NEVER_OUT
                && (since == UpstreamInstance.NEVER_OUT || readmitted - since > 0);
        return later ? readmitted : since;
    }

    private static boolean contains(UpstreamInstance[] tried, int count, UpstreamInstance instance) {
        for (int i = 0; i < count; i++) {
            if (tried[i] == instance) {
                return true;
            }
        }
        return false;
    }

    void report(UpstreamInstance instance, AttemptOutcome outcome) {
        if (outcome.errorLabel() != null) {
            metrics.upstreamErrors.labels(route, instance.label(), outcome.errorLabel()).inc();
        }
        OutlierDetector current = detector;
        var state = instance.outlier();
        if (current == null || state == null) {
            return;
        }
        if (outcome.instanceFailure()) {
            if (current.onFailure(state)) {
                metrics.upstreamEjections.labels(route, instance.label(), OUTLIER).inc();
                LOG.log(System.Logger.Level.WARNING, "route {0}: upstream {1} ejected after {2}", route, instance.label(),
                        outcome.name().toLowerCase(java.util.Locale.ROOT));
            }
        } else if (outcome == AttemptOutcome.SUCCESS) {
            current.onSuccess(state);
        }
    }

    boolean ejected(UpstreamInstance instance) {
        OutlierDetector current = detector;
        var state = instance.outlier();
        return current != null && state != null && current.isEjected(state);
    }

    /** Counts a retry the route's budget allowed. */
    public void countRetry(AttemptOutcome.Retry reason) {
        retries[reason.ordinal()].inc();
    }

    /** The calling event loop's share of the route's retry budget. */
    public RetryBudget retryBudget() {
        return retryBudgets.get();
    }

    public List<UpstreamInstance> instances() {
        return instances;
    }

    public String route() {
        return route;
    }

    @Override
    public String toString() {
        return route + Objects.toString(instances);
    }
}
