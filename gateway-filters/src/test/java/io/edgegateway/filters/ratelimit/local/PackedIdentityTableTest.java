package io.edgegateway.filters.ratelimit.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgegateway.filters.ratelimit.RateLimitDecision;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The table's bookkeeping, seen through a sliding window of T = 1 with a quota never reached: it
 * is exact, so {@code remaining} tells how many requests the identity's state has counted in the
 * second, and an identity is idle once its last request is two seconds old.
 */
class PackedIdentityTableTest {

    private static final int LIMIT = 1_000_000;

    private static PackedIdentityTable table(int stripes) {
        return new PackedIdentityTable(new SlidingWindowCounter(LIMIT, 1), stripes);
    }

    /** Requests counted in {@code second}, this one included. */
    private static long counted(PackedIdentityTable table, String key, long second) {
        return LIMIT - table.decide(key, second).remaining();
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 16})
    void manyIdentitiesKeepTheirCountsAcrossResizes(int stripes) {
        PackedIdentityTable table = table(stripes);
        int identities = 50_000;
        for (int i = 0; i < identities; i++) {
            for (int request = 0; request <= i % 3; request++) {
                table.decide("user-" + i, 100);
            }
        }
        assertThat(table.size()).isEqualTo(identities);
        assertThat(table.capacity()).isGreaterThanOrEqualTo(identities * 4 / 3);
        for (int i = 0; i < identities; i++) {
            assertThat(counted(table, "user-" + i, 100)).as("user-%d", i).isEqualTo(i % 3 + 2);
        }
    }

    @Test
    void evictionShiftsBackAProbeRunThatWrapsAroundTheArray() {
        // One stripe of 8 slots: three identities at home 6 fill slots 6, 7 and 0, pushing the
        // ones at home 7 and home 0 on to slots 1 and 2.
        List<String> homeSix = keysAtHome(6, 3);
        String atSeven = keysAtHome(7, 1).get(0);
        String atZero = keysAtHome(0, 1).get(0);
        PackedIdentityTable table = table(1);
        table.decide(homeSix.get(0), 100);
        for (String key : List.of(homeSix.get(1), homeSix.get(2), atSeven, atZero)) {
            table.decide(key, 101);
            table.decide(key, 101);
        }
        assertThat(table.capacity()).isEqualTo(PackedStripe.MIN_CAPACITY);

        table.evictIdle(102);

        assertThat(table.size()).isEqualTo(4);
        for (String key : List.of(homeSix.get(1), homeSix.get(2), atSeven, atZero)) {
            assertThat(counted(table, key, 101)).as(key).isEqualTo(3);
        }
        assertThat(counted(table, homeSix.get(0), 100)).as("evicted, so new").isEqualTo(1);
        assertThat(table.size()).isEqualTo(5);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 4})
    void evictionKeepsEveryOtherIdentityAndItsCounts(int stripes) {
        PackedIdentityTable table = table(stripes);
        Map<String, long[]> model = new HashMap<>(); // identity -> {last second, counted in it}
        SplittableRandom random = new SplittableRandom(stripes);
        long second = 1_000;
        for (int step = 0; step < 200_000; step++) {
            // Crowds of up to 20,000 identities come and go, so stripes grow and shrink.
            int crowd = step % 50_000 < 25_000 ? 20_000 : 50;
            String key = "user-" + random.nextInt(crowd);
            long[] expected = model.computeIfAbsent(key, k -> new long[2]);
            expected[1] = expected[0] == second ? expected[1] + 1 : 1;
            expected[0] = second;
            assertThat(counted(table, key, second)).as("step %d, %s", step, key).isEqualTo(expected[1]);
            if (random.nextInt(1_000) == 0) {
                second++;
            }
            if (random.nextInt(3_000) == 0) {
                table.evictIdle(second);
                long now = second;
                model.values().removeIf(last -> last[0] <= now - 2);
                assertThat(table.size()).as("step %d", step).isEqualTo(model.size());
            }
        }
        for (Map.Entry<String, long[]> entry : model.entrySet()) {
            long[] expected = entry.getValue();
            assertThat(counted(table, entry.getKey(), expected[0])).isEqualTo(expected[1] + 1);
        }
    }

    @Test
    void aStripeShrinksOnceMostOfItIsEvicted() {
        PackedIdentityTable table = table(1);
        for (int i = 0; i < 10_000; i++) {
            table.decide("user-" + i, i < 10 ? 101 : 100);
        }
        int grown = table.capacity();

        table.evictIdle(102);

        assertThat(table.size()).isEqualTo(10);
        assertThat(table.capacity()).isLessThan(grown).isLessThanOrEqualTo(10 * 8);
        for (int i = 0; i < 10; i++) {
            assertThat(counted(table, "user-" + i, 101)).isEqualTo(2);
        }
    }

    @Test
    void anIdentitySeenAgainAfterEvictionStartsFresh() {
        // 5 per 10 s. A late request from the window before would be denied by the kept state (it
        // counts in window 10, which is full) but is a new identity's first once it is evicted.
        PackedIdentityTable evicting = new PackedIdentityTable(new SlidingWindowCounter(5, 10), 16);
        PackedIdentityTable keeping = new PackedIdentityTable(new SlidingWindowCounter(5, 10), 16);
        for (int i = 0; i < 5; i++) {
            evicting.decide("alice", 100);
            keeping.decide("alice", 100);
        }
        evicting.evictIdle(120);
        assertThat(evicting.size()).isZero();

        assertThat(keeping.decide("alice", 95)).isEqualTo(RateLimitDecision.denied(5, 11));
        assertThat(evicting.decide("alice", 95)).isEqualTo(RateLimitDecision.allowed(5, 4, 5));
        assertThat(evicting.size()).isEqualTo(1);
    }

    @Test
    void aTokenBucketSeenAgainAfterEvictionIsFull() {
        PackedIdentityTable table = new PackedIdentityTable(new TokenBucket(3, 30), 16);
        for (int i = 0; i < 3; i++) {
            table.decide("alice", 100);
        }
        table.evictIdle(130);
        assertThat(table.size()).isZero();
        assertThat(table.decide("alice", 130)).isEqualTo(RateLimitDecision.allowed(3, 2, 10));
    }

    /** The first {@code count} keys "user-<n>" whose home is {@code slot} in a stripe of the smallest size. */
    private static List<String> keysAtHome(int slot, int count) {
        List<String> keys = new ArrayList<>();
        for (int i = 0; keys.size() < count; i++) {
            String key = "user-" + i;
            if ((PackedIdentityTable.hash(key) & (PackedStripe.MIN_CAPACITY - 1)) == slot) {
                keys.add(key);
            }
        }
        return keys;
    }
}
