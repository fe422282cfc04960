package io.edgegateway.filters.ratelimit.redis;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code token_bucket.lua} run directly against a real redis-server with an injected {@code now}. */
class TokenBucketScriptTest {

    private static final long T0 = 1_700_000_000L;

    @RegisterExtension
    static final RedisScriptFixture redis = new RedisScriptFixture(LimiterScript.TOKEN_BUCKET);

    private static ScriptReply call(String identity, long requests, long window, long now) {
        return redis.eval(identity, requests, window, now);
    }

    @Test
    void allowsABurstOfNThenRefillsAtNPerWindow() {
        assertThat(call("burst", 3, 30, T0)).isEqualTo(ScriptReply.allowed(2, 0, T0));
        assertThat(call("burst", 3, 30, T0)).isEqualTo(ScriptReply.allowed(1, 0, T0));
        assertThat(call("burst", 3, 30, T0)).isEqualTo(ScriptReply.allowed(0, 10, T0));
        assertThat(call("burst", 3, 30, T0 + 4)).isEqualTo(ScriptReply.denied(6, T0 + 4));
        assertThat(call("burst", 3, 30, T0 + 10)).isEqualTo(ScriptReply.allowed(0, 10, T0 + 10));
        assertThat(call("burst", 3, 30, T0 + 30).allowed()).isTrue();
        assertThat(call("burst", 3, 30, T0 + 30).allowed()).isTrue();
        assertThat(call("burst", 3, 30, T0 + 30).allowed()).isFalse();
    }

    @Test
    void deniedRequestsTakeNoToken() {
        call("denied", 1, 10, T0);
        for (int i = 0; i < 5; i++) {
            assertThat(call("denied", 1, 10, T0 + 5).allowed()).isFalse();
        }
        assertThat(call("denied", 1, 10, T0 + 10).allowed()).isTrue();
    }

    @Test
    void keyLivesOnlyUntilTheBucketIsFullAgainAndIsSmall() {
        call("ttl", 10, 60, T0);
        long ttl = (Long) redis.call("PTTL", LimiterScript.redisKey("ttl"));
        assertThat(ttl).isBetween(1L, 6_000L);
        long bytes = (Long) redis.call("MEMORY", "USAGE", LimiterScript.redisKey("ttl"));
        System.out.println("token-bucket MEMORY USAGE: " + bytes + " bytes");
        assertThat(bytes).isLessThanOrEqualTo(200);
    }
}
