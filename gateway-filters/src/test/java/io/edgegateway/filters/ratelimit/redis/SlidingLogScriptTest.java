package io.edgegateway.filters.ratelimit.redis;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code sliding_log.lua} run directly against a real redis-server with an injected {@code now}, in
 * both of its layouts: a window of whole seconds judged at 1s keeps a ring of per-tick counts, the
 * same at 10ms (hundreds of ticks) keeps a log of records; both must answer alike.
 */
class SlidingLogScriptTest {

    private static final long T0 = 1_700_000_000L;

    @RegisterExtension
    static final RedisScriptFixture redis = new RedisScriptFixture(LimiterScript.SLIDING_LOG);

    /** The layouts, by the resolution that picks each. */
    static Stream<Duration> layouts() {
        return Stream.of(Duration.ofSeconds(1), Duration.ofMillis(10));
    }

    private Duration resolution = Duration.ofSeconds(1);

    private ScriptReply call(String identity, long requests, long window, long now) {
        return redis.eval(identity + "@" + resolution.toMillis(), requests, window, resolution, now);
    }

    @ParameterizedTest
    @MethodSource("layouts")
    void firstRequestIsAllowed(Duration resolution) {
        this.resolution = resolution;
        assertThat(call("first", 10, 60, T0)).isEqualTo(ScriptReply.allowed(9, 0, T0));
    }

    @ParameterizedTest
    @MethodSource("layouts")
    void countsRequestsWithinTheSameSecond(Duration resolution) {
        this.resolution = resolution;
        assertThat(call("same", 3, 10, T0)).isEqualTo(ScriptReply.allowed(2, 0, T0));
        assertThat(call("same", 3, 10, T0)).isEqualTo(ScriptReply.allowed(1, 0, T0));
        assertThat(call("same", 3, 10, T0)).isEqualTo(ScriptReply.allowed(0, 10, T0));
        assertThat(call("same", 3, 10, T0)).isEqualTo(ScriptReply.denied(10, T0));
        assertThat(call("same", 3, 10, T0 + 4)).isEqualTo(ScriptReply.denied(6, T0 + 4));
    }

    @ParameterizedTest
    @MethodSource("layouts")
    void nAtTThenOneAtTPlusWindowIsAllowedButNotASecondEarlier(Duration resolution) {
        this.resolution = resolution;
        for (int i = 0; i < 5; i++) {
            assertThat(call("edge", 5, 60, T0).allowed()).isTrue();
        }
        assertThat(call("edge", 5, 60, T0 + 59)).isEqualTo(ScriptReply.denied(1, T0 + 59));
        assertThat(call("edge", 5, 60, T0 + 60)).isEqualTo(ScriptReply.allowed(4, 0, T0 + 60));
    }

    @ParameterizedTest
    @MethodSource("layouts")
    void deniedRequestsAreNotCounted(Duration resolution) {
        this.resolution = resolution;
        call("denied", 2, 10, T0);
        call("denied", 2, 10, T0);
        for (int i = 0; i < 20; i++) {
            assertThat(call("denied", 2, 10, T0 + 5).allowed()).isFalse();
        }
        assertThat(call("denied", 2, 10, T0 + 10)).isEqualTo(ScriptReply.allowed(1, 0, T0 + 10));
        assertThat(call("denied", 2, 10, T0 + 10)).isEqualTo(ScriptReply.allowed(0, 10, T0 + 10));
    }

    @ParameterizedTest
    @MethodSource("layouts")
    void isFreshAfterInactivity(Duration resolution) {
        this.resolution = resolution;
        for (int i = 0; i < 3; i++) {
            call("idle", 3, 60, T0 + i);
        }
        assertThat(call("idle", 3, 60, T0 + 3).allowed()).isFalse();
        assertThat(call("idle", 3, 60, T0 + 10_000)).isEqualTo(ScriptReply.allowed(2, 0, T0 + 10_000));
    }

    @ParameterizedTest
    @MethodSource("layouts")
    void keyExpiresWithinTwoWindowsOfItsNewestRequest(Duration resolution) {
        this.resolution = resolution;
        call("ttl", 10, 60, T0);
        assertThat((Long) redis.call("TTL", LimiterScript.redisKey("ttl@" + resolution.toMillis()))).isBetween(61L, 120L);
        // Growing the ring rewrites the key: its TTL must survive.
        for (int second = 1; second < 9; second++) {
            call("ttl", 10, 60, T0 + second);
        }
        assertThat((Long) redis.call("TTL", LimiterScript.redisKey("ttl@" + resolution.toMillis()))).isBetween(61L, 120L);
    }

    @ParameterizedTest
    @MethodSource("layouts")
    void timeDoesNotRunBackwardsForAnIdentity(Duration resolution) {
        this.resolution = resolution;
        call("clock", 2, 10, T0 + 100);
        assertThat(call("clock", 2, 10, T0 + 95)).isEqualTo(ScriptReply.allowed(0, 10, T0 + 100));
    }

    @Test
    void aBusyIdentityStaysWellUnderOneKilobyte() {
        // N = 100, T = 60, a request in every second of the window (and a few minutes more).
        for (long second = 0; second < 300; second++) {
            assertThat(call("memory", 100, 60, T0 + second).allowed()).isTrue();
        }
        long bytes = (Long) redis.call("MEMORY", "USAGE", LimiterScript.redisKey("memory@1000"));
        System.out.println("sliding-log MEMORY USAGE at N=100 T=60, every second used: " + bytes + " bytes");
        assertThat(bytes).isLessThan(700);
    }

    /** Random traffic, with the quota changing now and then, against an exact in-test model. */
    @ParameterizedTest
    @MethodSource("layouts")
    void matchesAnExactModelUnderRandomTraffic(Duration resolution) {
        this.resolution = resolution;
        Random random = new Random(42);
        long window = 7;
        Deque<Long> allowed = new ArrayDeque<>();
        long now = T0;
        for (int step = 0; step < 3_000; step++) {
            int roll = random.nextInt(100);
            now += roll < 60 ? 0 : roll < 97 ? random.nextInt(4) : 5 + random.nextInt(4);
            long requests = step < 1_000 ? 5 : step < 2_000 ? 12 : 3;
            while (!allowed.isEmpty() && allowed.peekFirst() <= now - window) {
                allowed.pollFirst();
            }
            ScriptReply expected;
            if (allowed.size() < requests) {
                allowed.addLast(now);
                long remaining = requests - allowed.size();
                expected = ScriptReply.allowed(remaining, remaining == 0 ? allowed.peekFirst() + window - now : 0, now);
            } else {
                expected = ScriptReply.denied(allowed.peekFirst() + window - now, now);
            }
            assertThat(call("model", requests, window, now)).as("step %d", step).isEqualTo(expected);
        }
    }
}
