package io.edgegateway.server.upstream.health;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class HealthCheckStreakTest {

    @Test
    void startsHealthyAndFlipsOnlyAfterARunOfDisagreeingResults() {
        HealthCheckStreak streak = new HealthCheckStreak(2, 3);
        assertTrue(streak.healthy());
        assertFalse(streak.record(false));
        assertFalse(streak.record(false));
        assertFalse(streak.record(true), "a good result breaks the run");
        assertFalse(streak.record(false));
        assertFalse(streak.record(false));
        assertTrue(streak.record(false));
        assertFalse(streak.healthy());
        assertFalse(streak.record(false), "already unhealthy");
        assertFalse(streak.record(true));
        assertFalse(streak.record(false), "a failure breaks the run back");
        assertFalse(streak.record(true));
        assertTrue(streak.record(true));
        assertTrue(streak.healthy());
    }

    @Test
    void thresholdOfOneFollowsEveryResult() {
        HealthCheckStreak streak = new HealthCheckStreak(1, 1);
        assertTrue(streak.record(false));
        assertTrue(streak.record(true));
        assertFalse(streak.record(true));
    }

    @Test
    void refusesThresholdsBelowOne() {
        assertThrows(IllegalArgumentException.class, () -> new HealthCheckStreak(0, 1));
        assertThrows(IllegalArgumentException.class, () -> new HealthCheckStreak(1, 0));
    }
}
