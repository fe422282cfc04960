package io.edgegateway.filters.ratelimit.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgegateway.filters.ratelimit.redis.ScriptReply.ScriptKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Each script deciding for many keys in one call, against the same decisions made one call each. */
class BatchedScriptTest {

    private static final long T0 = 1_700_000_000L;

    @RegisterExtension
    static final RedisServerFixture redis = new RedisServerFixture();

    /**
     * Random batches (1 to 40 keys over 6 identities, so most repeat within a batch, with their
     * quotas changing now and then) give exactly the replies of the same decisions made one by one.
     */
    @ParameterizedTest
    @EnumSource(LimiterScript.class)
    void aBatchDecidesAsItsKeysOneAfterAnother(LimiterScript script) {
        Random random = new Random(7);
        long now = T0;
        int decisions = 0;
        for (int round = 0; round < 300; round++) {
            now += random.nextInt(10) < 7 ? 0 : 1 + random.nextInt(3);
            int size = 1 + random.nextInt(40);
            List<ScriptKey> batched = new ArrayList<>();
            List<ScriptReply> oneByOne = new ArrayList<>();
            for (int k = 0; k < size; k++) {
                int identity = random.nextInt(6);
                long requests = round < 150 ? 5 + identity : 8;
                long window = 3 + identity % 3;
                batched.add(new ScriptKey(script + "-batched-" + identity, requests, window));
                oneByOne.add(ScriptReply.eval(redis.client(), script, script + "-single-" + identity, requests, window, now));
            }
            assertThat(ScriptReply.evalBatch(redis.client(), script, now, batched)).as("round %d", round)
                    .containsExactlyElementsOf(oneByOne);
            decisions += size;
        }
        assertThat(decisions).isGreaterThan(3_000);
    }

    @ParameterizedTest
    @EnumSource(LimiterScript.class)
    void aBatchOnRedisClockReadsItOnce(LimiterScript script) {
        List<ScriptKey> keys = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            keys.add(new ScriptKey(script + "-clock-" + i % 5, 1_000, 60));
        }
        long before = System.currentTimeMillis();
        List<?> reply = (List<?>) redis.call(ScriptReply.batchCommand(script, "", keys));
        long after = System.currentTimeMillis();

        assertThat(reply).hasSize(50 * LimiterScript.REPLY_VALUES_PER_KEY);
        long now = (Long) reply.get(3);
        // The sliding log reports the start of its tick (a whole second here), the others the millisecond.
        assertThat(now).isBetween(before / 1000 * 1000, after);
        for (int i = 0; i < 50; i++) {
            assertThat(reply.get(4 * i)).as("allowed %d", i).isEqualTo(1L);
            assertThat(reply.get(4 * i + 1)).as("remaining %d", i).isEqualTo(1_000L - 1 - i / 5);
            assertThat(reply.get(4 * i + 3)).as("now %d", i).isEqualTo(now);
        }
    }

    /** A key the script cannot read fails alone: the keys before and after it are decided. */
    @Test
    void aKeyThatFailsDoesNotFailTheOthers() {
        redis.call("RPUSH", LimiterScript.redisKey("not-a-limit"), "x");
        List<ScriptKey> keys = List.of(new ScriptKey("before", 2, 10), new ScriptKey("not-a-limit", 2, 10),
                new ScriptKey("after", 2, 10));
        for (LimiterScript script : LimiterScript.values()) {
            redis.call("DEL", LimiterScript.redisKey("before"), LimiterScript.redisKey("after"));
            @SuppressWarnings("unchecked")
            List<Object> reply = (List<Object>) redis.call(ScriptReply.batchCommand(script, Long.toString(T0 * 1000), keys));

            assertThat(reply.subList(0, 4)).as(script.name()).containsExactly(1L, 1L, 0L, T0 * 1000);
            assertThat(reply.get(4)).as(script.name()).asString().startsWith("WRONGTYPE");
            assertThat(reply.subList(8, 12)).as(script.name()).containsExactly(1L, 1L, 0L, T0 * 1000);
        }
    }
}
