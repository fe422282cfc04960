package io.edgegateway.filters.ratelimit.redis;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class ConsistentHashRingTest {

    private static final int IDENTITIES = 100_000;

    private final ConsistentHashRing<String> three = new ConsistentHashRing<>(
            List.of("redis://10.0.0.1:6379", "redis://10.0.0.2:6379", "redis://10.0.0.3:6379"), Function.identity());

    @Test
    void addingAFourthShardMovesAboutAQuarterOfTheIdentitiesAllToIt() {
        ConsistentHashRing<String> four = three.with("redis://10.0.0.4:6379");
        int moved = 0;
        for (int i = 0; i < IDENTITIES; i++) {
            String key = "user-" + i;
            String before = three.shardFor(key);
            String after = four.shardFor(key);
            if (!before.equals(after)) {
                moved++;
                assertThat(after).as(key).isEqualTo("redis://10.0.0.4:6379");
            }
        }
        double share = (double) moved / IDENTITIES;
        System.out.printf("adding a 4th shard moved %.3f of %d identities%n", share, IDENTITIES);
        assertThat(share).isBetween(0.20, 0.30);
    }

    @Test
    void spreadsIdentitiesRoughlyEvenly() {
        Map<String, Integer> counts = new HashMap<>();
        for (int i = 0; i < IDENTITIES; i++) {
            counts.merge(three.shardFor("203.0.113." + (i % 256) + "/" + i), 1, Integer::sum);
        }
        assertThat(counts).hasSize(3);
        for (int count : counts.values()) {
            assertThat((double) count / IDENTITIES).isBetween(0.27, 0.40);
        }
    }

    @Test
    void aLookupIsStableAndIndependentOfListOrder() {
        ConsistentHashRing<String> reordered = new ConsistentHashRing<>(
                List.of("redis://10.0.0.3:6379", "redis://10.0.0.1:6379", "redis://10.0.0.2:6379"), Function.identity());
        for (int i = 0; i < 1_000; i++) {
            assertThat(reordered.shardFor("k" + i)).isEqualTo(three.shardFor("k" + i));
        }
    }
}
