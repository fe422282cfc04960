package io.edgegateway.filters.ratelimit.redis;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code sliding_window.lua} run directly against a real redis-server with an injected {@code now}. */
class SlidingWindowScriptTest {

    /** A multiple of the windows used below, so T0 starts a fixed window. */
    private static final long T0 = 1_700_000_000L;

    @RegisterExtension
    static final RedisScriptFixture redis = new RedisScriptFixture(LimiterScript.SLIDING_WINDOW);

    private static ScriptReply call(String identity, long requests, long window, long now) {
        return redis.eval(identity, requests, window, now);
    }

    @Test
    void allowsNWithinAWindowThenDenies() {
        assertThat(call("basic", 3, 10, T0)).isEqualTo(ScriptReply.allowed(2, 0, T0));
        assertThat(call("basic", 3, 10, T0)).isEqualTo(ScriptReply.allowed(1, 0, T0));
        assertThat(call("basic", 3, 10, T0 + 9).allowed()).isTrue();
        assertThat(call("basic", 3, 10, T0 + 9).allowed()).isFalse();
    }

    @Test
    void weighsThePreviousWindowByItsOverlap() {
        for (int i = 0; i < 10; i++) {
            assertThat(call("weight", 10, 10, T0).allowed()).isTrue();
        }
        // At T0 + 13 the sliding window (T0 + 3, T0 + 13] covers 6 of the previous window's 10 seconds.
        for (int i = 0; i < 4; i++) {
            assertThat(call("weight", 10, 10, T0 + 13).allowed()).as("request %d", i).isTrue();
        }
        ScriptReply denied = call("weight", 10, 10, T0 + 13);
        assertThat(denied.allowed()).isFalse();
        assertThat(call("weight", 10, 10, T0 + 13 + denied.reset()).allowed()).isTrue();
    }

    @Test
    void deniedRequestsAreNotCounted() {
        call("denied", 1, 10, T0);
        for (int i = 0; i < 5; i++) {
            assertThat(call("denied", 1, 10, T0 + 5).allowed()).isFalse();
        }
        assertThat(call("denied", 1, 10, T0 + 19).allowed()).isTrue();
    }

    @Test
    void isFreshAfterInactivityAndExpires() {
        call("idle", 2, 10, T0);
        call("idle", 2, 10, T0);
        assertThat(call("idle", 2, 10, T0 + 1_000)).isEqualTo(ScriptReply.allowed(1, 0, T0 + 1_000));
        assertThat((Long) redis.call("TTL", LimiterScript.redisKey("idle"))).isBetween(1L, 20L);
    }

    @Test
    void anIdentityStaysUnderTwoHundredBytes() {
        for (long second = 0; second < 120; second++) {
            call("memory", 1_000_000, 60, T0 + second);
        }
        long bytes = (Long) redis.call("MEMORY", "USAGE", LimiterScript.redisKey("memory"));
        System.out.println("sliding-window MEMORY USAGE: " + bytes + " bytes");
        assertThat(bytes).isLessThanOrEqualTo(200);
    }
}
