package io.edgegateway.filters.hedge;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgegateway.config.HedgeConfig;
import io.edgegateway.config.HedgeDelay;
import io.edgegateway.filters.latency.LatencyWindow;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class HedgePolicyTest {

    private final AtomicLong now = new AtomicLong(TimeUnit.HOURS.toNanos(1));
    private final LatencyWindow window = new LatencyWindow(Duration.ofSeconds(10), 10, 0.95);

    private HedgePolicy policy(HedgeDelay after, double maxExtraPercent) {
        return new HedgePolicy(new HedgeConfig(after, maxExtraPercent), window, now::get);
    }

    @Test
    void onlySafeMethodsWithoutABodyAreHedged() {
        HedgePolicy policy = policy(new HedgeDelay.Fixed(Duration.ofMillis(50)), 10);

        assertThat(policy.delayNanos("GET", false)).isEqualTo(TimeUnit.MILLISECONDS.toNanos(50));
        assertThat(policy.delayNanos("HEAD", false)).isEqualTo(TimeUnit.MILLISECONDS.toNanos(50));
        assertThat(policy.delayNanos("OPTIONS", false)).isEqualTo(TimeUnit.MILLISECONDS.toNanos(50));
        assertThat(policy.delayNanos("GET", true)).isEqualTo(HedgePolicy.NO_HEDGE);
        assertThat(policy.delayNanos("POST", false)).isEqualTo(HedgePolicy.NO_HEDGE);
        assertThat(policy.delayNanos("PUT", false)).isEqualTo(HedgePolicy.NO_HEDGE);
        assertThat(policy.delayNanos("DELETE", false)).isEqualTo(HedgePolicy.NO_HEDGE);
    }

    @Test
    void aPercentileDelayFollowsTheLiveWindowOnceItHoldsEnoughRequests() {
        HedgePolicy policy = policy(new HedgeDelay.Percentile(0.95), 10);
        for (int i = 0; i < HedgePolicy.MIN_SAMPLES - 1; i++) {
            window.record(TimeUnit.MILLISECONDS.toNanos(10));
        }
        window.rotate();
        assertThat(policy.delayNanos("GET", false)).as("too few samples to trust").isEqualTo(HedgePolicy.NO_HEDGE);

        for (int i = 1; i <= 100; i++) {
            window.record(TimeUnit.MILLISECONDS.toNanos(i));
        }
        window.rotate();

        long delay = policy.delayNanos("GET", false);
        assertThat(delay).isBetween(TimeUnit.MILLISECONDS.toNanos(90), TimeUnit.MILLISECONDS.toNanos(100));
    }

    @Test
    void theBudgetCountsOnlyRequestsThatMayBeHedged() {
        HedgePolicy policy = policy(new HedgeDelay.Fixed(Duration.ofMillis(5)), 10);
        for (int i = 0; i < 100; i++) {
            policy.delayNanos("POST", false);
        }
        assertThat(policy.tryHedge()).as("POSTs do not earn hedges").isFalse();

        int granted = 0;
        for (int i = 0; i < 100; i++) {
            policy.delayNanos("GET", false);
            granted += policy.tryHedge() ? 1 : 0;
        }
        assertThat(granted).isEqualTo(10);
    }
}
