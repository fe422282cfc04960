package io.edgegateway.server.upstream.health;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One upstream instance's standing with its {@link OutlierDetector}: its run of consecutive
 * failures and whether it is ejected. Shared by every event loop; changed only through the
 * detector, with compare-and-set, so each ejection and each readmission happens exactly once.
 */
public final class OutlierState {

    /**
     * An immutable snapshot, swapped whole: either ejected until {@code untilNanos}, or in rotation
     * since {@code untilNanos} (the end of its last ejection, from which the multiplier decays).
     *
     * @param ejections the ejection multiplier: times ejected, less one per quiet base period
     */
    record Standing(boolean ejected, long untilNanos, int ejections) { }

    /** Never ejected yet. */
    static final Standing FRESH = new Standing(false, 0, 0);
    /** Unregistered: never ejected again, compared by identity. */
    static final Standing REMOVED = new Standing(false, 0, 0);

    final OutlierDetector owner;
    final AtomicReference<Standing> standing = new AtomicReference<>(FRESH);
    final AtomicInteger consecutiveFailures = new AtomicInteger();

    OutlierState(OutlierDetector owner) {
        this.owner = owner;
    }

    @Override
    public String toString() {
        Standing s = standing.get();
        String phase = s == REMOVED ? "removed" : s.ejected() ? "ejected" : "in rotation";
        return "OutlierState{" + phase + ", consecutiveFailures=" + consecutiveFailures.get()
                + ", ejections=" + s.ejections() + '}';
    }
}
