package io.edgegateway.filters.ratelimit.local;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Checks one identity's decisions, in the order the limiter made them, against the definition,
 * independently of the limiter's data structure.
 *
 * <p>Out-of-order timestamps: the checker derives each request's counted second itself as
 * max(requested second, newest counted second of an earlier allowed request) and checks that the
 * limiter counted it there; both conditions below are stated in counted seconds. A denial is
 * checked against the allowed requests decided before it, the only ones the limiter could know.
 */
final class SlidingLogChecker {

    record Decision(long requestedSecond, long countedSecond, boolean allowed) {
    }

    private SlidingLogChecker() {
    }

    /** Every broken rule, empty when the decisions are exact. */
    static List<String> violations(String user, List<Decision> decisions, int limit, int window) {
        List<String> violations = new ArrayList<>();
        List<Long> allowed = new ArrayList<>();
        for (Decision decision : decisions) {
            long newest = allowed.isEmpty() ? Long.MIN_VALUE : allowed.get(allowed.size() - 1);
            long counted = Math.max(decision.requestedSecond(), newest);
            if (counted != decision.countedSecond()) {
                violations.add(user + ": requested " + decision.requestedSecond() + " should be counted at " + counted
                        + ", was at " + decision.countedSecond());
            }
            if (decision.allowed()) {
                allowed.add(counted);
            } else {
                int before = allowed.size() - lowerBound(allowed, counted - window + 1);
                if (before < limit) {
                    violations.add(user + ": denied at " + counted + " with only " + before + " allowed in "
                            + (counted - window + 1) + ".." + counted);
                }
            }
        }
        // (a) Allowed counted seconds never decrease, so every T-second interval is a sliding range.
        for (int first = 0, last = 0; last < allowed.size(); last++) {
            while (allowed.get(last) - allowed.get(first) >= window) {
                first++;
            }
            if (last - first + 1 > limit) {
                violations.add(user + ": " + (last - first + 1) + " allowed in " + (allowed.get(last) - window + 1)
                        + ".." + allowed.get(last));
            }
        }
        return violations;
    }

    private static int lowerBound(List<Long> sorted, long value) {
        int index = Collections.binarySearch(sorted, value, (a, b) -> a < b ? -1 : 1);
        return -index - 1;
    }
}
