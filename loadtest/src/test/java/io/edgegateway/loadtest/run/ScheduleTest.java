package io.edgegateway.loadtest.run;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ScheduleTest {

    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    private static RunSettings settings(double rate, double rampTo, long durationNanos) {
        return new RunSettings(URI.create("http://localhost/"), rate, rampTo, durationNanos, 1, 1, 0, UserSpread.UNIFORM, SECOND);
    }

    private static long scheduled(Schedule schedule) {
        long count = 0;
        while (schedule.offsetNanos(count) != Long.MAX_VALUE) {
            count++;
        }
        return count;
    }

    @Test
    void aConstantRateSpacesRequestsEvenly() {
        Schedule schedule = new Schedule(settings(1000, 1000, 3 * SECOND));

        assertEquals(0, schedule.offsetNanos(0));
        assertEquals(TimeUnit.MILLISECONDS.toNanos(1), schedule.offsetNanos(1));
        assertEquals(TimeUnit.MILLISECONDS.toNanos(2500), schedule.offsetNanos(2500));
        assertEquals(3000, scheduled(schedule));
    }

    @Test
    void aRampSpendsItsRequestsAsTheRateRises() {
        Schedule schedule = new Schedule(settings(100, 300, 2 * SECOND));

        assertEquals(400, scheduled(schedule), 1);
        // 100 t + 50 t^2 = 150 at t = 1 s: the first second holds 150 of the 400
        assertEquals(SECOND, schedule.offsetNanos(150), TimeUnit.MICROSECONDS.toNanos(10));
        assertEquals(400, settings(100, 300, 2 * SECOND).scheduledRequests());
    }

    @Test
    void aFallingRampWorksToo() {
        Schedule schedule = new Schedule(settings(300, 100, 2 * SECOND));

        assertEquals(400, scheduled(schedule), 1);
        assertEquals(SECOND, schedule.offsetNanos(250), TimeUnit.MICROSECONDS.toNanos(10));
    }
}
