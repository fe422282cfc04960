package io.edgegateway.loadtest.run;

import java.util.SplittableRandom;

/**
 * Draws the identity of each request, from 1 to {@code users}: uniformly, or by Zipf's law from a
 * cumulative table searched in O(log users). One table is shared read-only by every loop; each loop
 * draws with its own random source.
 */
final class UserPicker {

    private final int users;
    /** Cumulative probabilities for Zipf; null for uniform. */
    private final double[] cumulative;

    UserPicker(int users, UserSpread spread) {
        this.users = users;
        this.cumulative = users > 0 && spread.kind() == UserSpread.Kind.ZIPF ? zipfTable(users, spread.exponent()) : null;
    }

    boolean sendsIdentity() {
        return users > 0;
    }

    /** An identity from 1 to {@code users}. */
    int next(SplittableRandom random) {
        if (cumulative == null) {
            return 1 + random.nextInt(users);
        }
        double draw = random.nextDouble();
        int low = 0;
        int high = cumulative.length - 1;
        while (low < high) {
            int middle = (low + high) >>> 1;
            if (cumulative[middle] < draw) {
                low = middle + 1;
            } else {
                high = middle;
            }
        }
        return low + 1;
    }

    private static double[] zipfTable(int users, double exponent) {
        double[] table = new double[users];
        double sum = 0;
        for (int k = 1; k <= users; k++) {
            sum += 1 / Math.pow(k, exponent);
            table[k - 1] = sum;
        }
        for (int k = 0; k < users; k++) {
            table[k] /= sum;
        }
        table[users - 1] = 1;
        return table;
    }
}
