package io.edgegateway.server.upstream.health;

import io.edgegateway.server.upstream.health.OutlierState.Standing;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * Passive outlier detection for one route's instances, in Envoy's consecutive-5xx style: an
 * instance whose calls fail {@code consecutiveFailures} times in a row is ejected for the base
 * ejection time times the number of times it was ejected (capped at the larger of the base and
 * five minutes); the multiplier decays by one for every base period the instance stays in rotation.
 * At most {@code maxEjectionPercent} of the instances are ejected at once, but always at least one
 * may be, so a route of one or two instances can still shed its bad one.
 *
 * <p>Shared by every event loop without locks: the ejected count is reserved by compare-and-set
 * before an instance's standing is swapped, so concurrent failures eject an instance once and never
 * pass the cap; readmission is lazy (whoever first sees the time has passed) and also a single
 * compare-and-set, so the count is given back exactly once. Registration takes a copy-on-write
 * lock, but it happens on DNS changes and reloads, not on the request path.
 */
public final class OutlierDetector {

    /** The longest ejection, unless the base itself is longer. */
    static final long MAX_EJECTION_NANOS = TimeUnit.SECONDS.toNanos(300);

    private record Settings(int consecutiveFailures, long baseEjectionNanos, int maxEjectionPercent) {

        Settings {
            if (consecutiveFailures < 1) {
                throw new IllegalArgumentException("consecutiveFailures: " + consecutiveFailures + " (expected: > 0)");
            }
            if (baseEjectionNanos <= 0) {
                throw new IllegalArgumentException("baseEjectionNanos: " + baseEjectionNanos + " (expected: > 0)");
            }
            if (maxEjectionPercent < 0 || maxEjectionPercent > 100) {
                throw new IllegalArgumentException(
                        "maxEjectionPercent: " + maxEjectionPercent + " (expected: 0 to 100)");
            }
        }

        long longestEjectionNanos() {
            return Math.max(baseEjectionNanos, MAX_EJECTION_NANOS);
        }
    }

    private final LongSupplier nanoTime;
    private final CopyOnWriteArrayList<OutlierState> members = new CopyOnWriteArrayList<>();
    private final AtomicInteger instances = new AtomicInteger();
    private final AtomicInteger ejected = new AtomicInteger();
    private volatile Settings settings;

    public OutlierDetector(int consecutiveFailures, long baseEjectionNanos, int maxEjectionPercent, LongSupplier nanoTime) {
        this.settings = new Settings(consecutiveFailures, baseEjectionNanos, maxEjectionPercent);
        this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
    }

    /** A new instance joins the route; it counts towards the cap from now on. */
    public OutlierState register() {
        OutlierState state = new OutlierState(this);
        members.add(state);
        instances.incrementAndGet();
        return state;
    }

    /** The instance left the route (DNS, reload); if it was ejected, its slot is given back. */
    public void unregister(OutlierState state) {
        if (state.owner != this) {
            throw new IllegalArgumentException("unregister: " + state + " (expected: a state registered here)");
        }
        Standing before = state.standing.getAndSet(OutlierState.REMOVED);
        if (before == OutlierState.REMOVED) {
            return;
        }
        members.remove(state);
        instances.decrementAndGet();
        if (before.ejected()) {
            ejected.decrementAndGet();
        }
    }

    /**
     * New settings from a reload. Every instance keeps its standing: an ejection already decided runs
     * its course, and the new threshold, base and cap apply from the next failure.
     */
    public void reconfigure(int consecutiveFailures, long baseEjectionNanos, int maxEjectionPercent) {
        settings = new Settings(consecutiveFailures, baseEjectionNanos, maxEjectionPercent);
    }

    /**
     * A failed call to the instance.
     *
     * @return true if this very call ejected the instance (to count and log the ejection once)
     */
    public boolean onFailure(OutlierState state) {
        Standing current = readmitIfDue(state);
        if (current.ejected() || current == OutlierState.REMOVED) {
            // A late failure from before the ejection: the instance already paid for it.
            return false;
        }
        Settings config = settings;
        if (state.consecutiveFailures.incrementAndGet() < config.consecutiveFailures()) {
            return false;
        }
        if (!reserveSlot(config)) {
            // The cap holds; the run of failures stays, so the next failure tries again.
            return false;
        }
        if (!state.standing.compareAndSet(current, ejection(current, config))) {
            // Another thread ejected or removed it first.
            ejected.decrementAndGet();
            return false;
        }
        state.consecutiveFailures.set(0);
        return true;
    }

    /** A successful call ends the run of failures; a late success does not readmit an ejected instance. */
    public void onSuccess(OutlierState state) {
        if (state.consecutiveFailures.get() != 0) {
            state.consecutiveFailures.set(0);
        }
    }

    /** Whether the balancer must skip the instance; one volatile read while it is in rotation. */
    public boolean isEjected(OutlierState state) {
        if (!state.standing.get().ejected()) {
            return false;
        }
        return readmitIfDue(state).ejected();
    }

    /**
     * When the instance's last ejection ended, if it has been ejected and is in rotation now (the start
     * of its slow start); {@code none} otherwise.
     */
    public long readmittedAtNanos(OutlierState state, long none) {
        Standing current = state.standing.get();
        if (current.ejections() == 0 || current == OutlierState.REMOVED || isEjected(state)) {
            return none;
        }
        return current.untilNanos();
    }

    /** Instances ejected now; those whose time has passed are readmitted first. */
    public int ejectedCount() {
        readmitAllDue();
        return ejected.get();
    }

    /**
     * Takes one of the cap's slots before the standing is swapped. A thread that loses the swap gives
     * its slot back, so for that instant another instance may be refused; its run of failures stays.
     */
    private boolean reserveSlot(Settings config) {
        boolean swept = false;
        while (true) {
            int now = ejected.get();
            if (now >= cap(config)) {
                if (swept) {
                    return false;
                }
                // Ejections that ended but nobody has looked at yet must not hold the cap.
                readmitAllDue();
                swept = true;
                continue;
            }
            if (ejected.compareAndSet(now, now + 1)) {
                return true;
            }
        }
    }

    private int cap(Settings config) {
        return Math.max(1, instances.get() * config.maxEjectionPercent() / 100);
    }

    private Standing ejection(Standing current, Settings config) {
        long now = nanoTime.getAsLong();
        long base = config.baseEjectionNanos();
        long longest = config.longestEjectionNanos();
        int multiplier = current.ejections();
        if (multiplier > 0) {
            long quietPeriods = (now - current.untilNanos()) / base;
            multiplier = (int) Math.max(0, multiplier - quietPeriods);
        }
        // Past the longest ejection a larger multiplier changes nothing; bounding it keeps the decay short.
        multiplier = (int) Math.min(multiplier + 1L, (longest + base - 1) / base);
        long duration = Math.min(longest, base * multiplier);
        return new Standing(true, now + duration, multiplier);
    }

    /** Readmits the instance if its ejection time has passed; returns its standing after that. */
    private Standing readmitIfDue(OutlierState state) {
        Standing current = state.standing.get();
        if (!current.ejected() || nanoTime.getAsLong() - current.untilNanos() < 0) {
            return current;
        }
        Standing readmitted = new Standing(false, current.untilNanos(), current.ejections());
        if (state.standing.compareAndSet(current, readmitted)) {
            ejected.decrementAndGet();
            return readmitted;
        }
        return state.standing.get();
    }

    private void readmitAllDue() {
        for (OutlierState member : members) {
            if (member.standing.get().ejected()) {
                readmitIfDue(member);
            }
        }
    }
}
