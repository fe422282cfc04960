package io.edgegateway.filters.ratelimit.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgegateway.config.Quota;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The sliding log's ring of per-tick counts ({@code tick_ring.lua}, for spans of up to 64 ticks) at
 * its edges, directly against a real redis-server with an injected clock in milliseconds: the ring
 * wrapping round, an identity idle for about a span, counts too big for a byte or two, a quota
 * whose window or resolution changes, and keys left in another layout.
 */
class TickRingScriptTest {

    private static final long T0 = 1_700_000_000_000L;

    @RegisterExtension
    static final RedisServerFixture redis = new RedisServerFixture();

    /** One key's reply {@code allowed, remaining, reset ms, now ms}, {@code times} decisions in one call. */
    private static List<long[]> decide(String identity, Quota quota, long millis, int times) {
        List<String> command = new ArrayList<>(List.of("EVAL", LimiterScript.SLIDING_LOG.body(), Integer.toString(times)));
        for (int i = 0; i < times; i++) {
            command.add(LimiterScript.redisKey(identity));
        }
        command.add(Long.toString(millis));
        command.add(LimiterScript.spec(quota));
        List<?> reply = (List<?>) redis.call(command.toArray(String[]::new));
        List<long[]> decisions = new ArrayList<>();
        for (int i = 0; i < reply.size(); i += 4) {
            decisions.add(new long[] {(Long) reply.get(i), (Long) reply.get(i + 1), (Long) reply.get(i + 2), (Long) reply.get(i + 3)});
        }
        return decisions;
    }

    private static long[] decide(String identity, Quota quota, long millis) {
        return decide(identity, quota, millis, 1).get(0);
    }

    private static long[] allowed(long remaining, long reset, long millis) {
        return new long[] {1, remaining, reset, millis};
    }

    private static long[] denied(long reset, long millis) {
        return new long[] {0, 0, reset, millis};
    }

    private static Quota perSeconds(long requests, long seconds) {
        return new Quota(requests, Duration.ofSeconds(seconds));
    }

    /**
     * Random gaps (none, within the span, about one span, well past it) and a burst quota, across
     * many turns of a 4-tick ring, against an exact model of the two rules: at most the burst limit
     * in any window and N × burst windows in any span.
     */
    @Test
    void matchesAnExactModelWithABurstAcrossManyTurnsOfTheRing() {
        Quota quota = new Quota(4, Duration.ofSeconds(2), Duration.ofSeconds(1), 1.5, Duration.ZERO);
        long window = 2;
        long span = 4;
        Random random = new Random(11);
        Deque<Long> allowedAt = new ArrayDeque<>();
        long second = T0 / 1000;
        for (int step = 0; step < 4_000; step++) {
            int roll = random.nextInt(100);
            second += roll < 55 ? 0 : roll < 90 ? 1 : roll < 97 ? 2 + random.nextInt(3) : 4 + random.nextInt(6);
            long now = second;
            allowedAt.removeIf(tick -> tick <= now - span);
            long inSpan = allowedAt.size();
            long inWindow = allowedAt.stream().filter(tick -> tick > now - window).count();
            long millis = second * 1000 + random.nextInt(1000);
            long[] reply = decide("model", quota, millis);
            boolean allow = inSpan < 8 && inWindow < 6;
            assertThat(reply[0]).as("step %d at %d: %d in the span, %d in the window", step, second, inSpan, inWindow)
                    .isEqualTo(allow ? 1 : 0);
            assertThat(reply[3]).isEqualTo(second * 1000);
            if (allow) {
                allowedAt.addLast(second);
                inSpan++;
                inWindow++;
                assertThat(reply[1]).as("remaining at step %d", step).isEqualTo(Math.min(8 - inSpan, 6 - inWindow));
            }
            if (reply[1] == 0) {
                long freeAt = second;
                if (inSpan >= 8) {
                    freeAt = Math.max(freeAt, allowedAt.peekFirst() + span);
                }
                if (inWindow >= 6) {
                    freeAt = Math.max(freeAt, allowedAt.stream().filter(tick -> tick > now - window).findFirst().orElseThrow() + window);
                }
                assertThat(reply[2]).as("reset at step %d", step).isEqualTo(freeAt * 1000 - millis);
            }
        }
    }

    @Test
    void theSlotsOfIdleTicksAreEmptiedAsTheRingWrapsRound() {
        Quota quota = perSeconds(3, 5);
        // Five ticks per turn: T0 is slot 0, so these wrap round from slot 4 to 0 and 1.
        assertThat(decide("wrap", quota, T0 + 4_000)[0]).isEqualTo(1);
        assertThat(decide("wrap", quota, T0 + 4_000)[0]).isEqualTo(1);
        assertThat(decide("wrap", quota, T0 + 6_000)).isEqualTo(allowed(0, 3_000, T0 + 6_000));
        assertThat(decide("wrap", quota, T0 + 8_999)).isEqualTo(denied(1, T0 + 8_000));
        // Tick 9 (slot 4 again) displaces the two of tick 4: one left in the window.
        assertThat(decide("wrap", quota, T0 + 9_000)).isEqualTo(allowed(1, 0, T0 + 9_000));
        assertThat(decide("wrap", quota, T0 + 9_500)).isEqualTo(allowed(0, 1_500, T0 + 9_000));
        assertThat(decide("wrap", quota, T0 + 10_999)).isEqualTo(denied(1, T0 + 10_000));
    }

    @Test
    void anIdentityBackAfterAboutOneSpanKeepsOnlyWhatIsStillInside() {
        Quota quota = perSeconds(2, 10);
        decide("idle", quota, T0);
        decide("idle", quota, T0 + 1_000);
        // One span less a tick after the first: that one still counts.
        assertThat(decide("idle", quota, T0 + 9_999)).isEqualTo(denied(1, T0 + 9_000));
        assertThat(decide("idle", quota, T0 + 10_000)).isEqualTo(allowed(0, 1_000, T0 + 10_000));
        // Exactly one span after the last: the ring is as new.
        assertThat(decide("idle", quota, T0 + 20_000)).isEqualTo(allowed(1, 0, T0 + 20_000));
        // Long after: the same.
        assertThat(decide("idle", quota, T0 + 3_600_000)).isEqualTo(allowed(1, 0, T0 + 3_600_000));
    }

    /** 70,000 in one tick: each count widens from one byte to two, then to four, and the totals hold. */
    @Test
    void countsWiderThanAByteOrTwoAreKeptExactly() {
        Quota quota = perSeconds(70_001, 3);
        decide("wide", quota, T0 - 1_000);
        long remaining = 70_000;
        for (int call = 0; call < 140; call++) {
            for (long[] reply : decide("wide", quota, T0, 500)) {
                remaining--;
                assertThat(reply).isEqualTo(allowed(remaining, remaining == 0 ? 2_000 : 0, T0));
            }
        }
        assertThat(decide("wide", quota, T0 + 1_000)).isEqualTo(denied(1_000, T0 + 1_000));
        // The one of the tick before leaves first, then the 70,000.
        assertThat(decide("wide", quota, T0 + 2_000)).isEqualTo(allowed(0, 1_000, T0 + 2_000));
        assertThat(decide("wide", quota, T0 + 2_500)).isEqualTo(denied(500, T0 + 2_000));
        assertThat(decide("wide", quota, T0 + 3_000)).isEqualTo(allowed(69_999, 0, T0 + 3_000));
        long bytes = (Long) redis.call("STRLEN", LimiterScript.redisKey("wide"));
        assertThat(bytes).isEqualTo(24 + 3 * 4);
    }

    @Test
    void aWindowThatChangesKeepsTheCountsStillInsideIt() {
        decide("resized", perSeconds(5, 10), T0, 3);
        // Twice the window: the three still count.
        assertThat(decide("resized", perSeconds(5, 20), T0 + 15_000)).isEqualTo(allowed(1, 0, T0 + 15_000));
        // A window of 5 s at T0 + 16s: only the one of T0 + 15s is inside.
        assertThat(decide("resized", perSeconds(5, 5), T0 + 16_000)).isEqualTo(allowed(3, 0, T0 + 16_000));
    }

    @Test
    void aKeyOfAnotherResolutionOrLayoutIsStartedAfresh() {
        Quota ring = perSeconds(3, 10);
        decide("other", ring, T0, 3);
        assertThat(decide("other", ring, T0)[0]).isZero();
        // 500 ms ticks: another resolution, started afresh.
        Quota halves = new Quota(3, Duration.ofSeconds(10), Duration.ofMillis(500));
        assertThat(decide("other", halves, T0 + 1_000)).isEqualTo(allowed(2, 0, T0 + 1_000));
        // 10 ms ticks: a log of records, started afresh; and back to the ring, afresh again.
        Quota log = new Quota(3, Duration.ofSeconds(10), Duration.ofMillis(10));
        decide("other", log, T0 + 2_000, 3);
        assertThat(decide("other", log, T0 + 2_000)[0]).isZero();
        assertThat(decide("other", ring, T0 + 3_000)).isEqualTo(allowed(2, 0, T0 + 3_000));
        assertThat(decide("other", log, T0 + 4_000)).isEqualTo(allowed(2, 0, T0 + 4_000));
        // A string no limiter wrote.
        redis.call("SET", LimiterScript.redisKey("foreign"), "not a ring, not a log, but long enough to look like one");
        assertThat(decide("foreign", ring, T0)).isEqualTo(allowed(2, 0, T0));
        assertThat(decide("foreign", ring, T0)).isEqualTo(allowed(1, 0, T0));
        assertThat((Long) redis.call("PTTL", LimiterScript.redisKey("foreign"))).isPositive();
    }

    @Test
    void theBenchmarksQuotaTakesUnderTwoHundredBytes() {
        Quota quota = new Quota(1_000_000_000, Duration.ofSeconds(60));
        for (int second = 0; second < 120; second += 2) {
            decide("small", quota, T0 + second * 1_000L);
        }
        long bytes = (Long) redis.call("MEMORY", "USAGE", LimiterScript.redisKey("small"));
        System.out.println("tick ring MEMORY USAGE at 1e9 per 60 s, a request every 2 s: " + bytes + " bytes");
        assertThat(bytes).isLessThan(200);
    }
}
