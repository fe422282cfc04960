package io.edgegateway.filters.hedge;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class HedgeBudgetTest {

    private final AtomicLong now = new AtomicLong(TimeUnit.HOURS.toNanos(1));
    private final HedgeBudget budget = new HedgeBudget(10, now::get);

    private int hedgesFor(int requests) {
        int granted = 0;
        for (int i = 0; i < requests; i++) {
            budget.onRequest();
            if (budget.tryHedge()) {
                granted++;
            }
        }
        return granted;
    }

    @Test
    void aUniformlySlowUpstreamGetsAtMostTheShareInHedges() {
        assertThat(hedgesFor(1000)).isEqualTo(100);
    }

    @Test
    void theFirstHedgeWaitsUntilTheShareCoversOne() {
        assertThat(hedgesFor(9)).isZero();
        assertThat(hedgesFor(1)).isEqualTo(1);
    }

    @Test
    void hedgesLeaveTheWindowAfterTenSeconds() {
        assertThat(hedgesFor(100)).isEqualTo(10);
        now.addAndGet(TimeUnit.SECONDS.toNanos(5));
        budget.onRequest();
        assertThat(budget.tryHedge()).as("the first 100 requests' budget is spent").isFalse();

        now.addAndGet(TimeUnit.SECONDS.toNanos(6));
        assertThat(hedgesFor(10)).as("a fresh window: 11 requests (one from second 5) allow one hedge").isEqualTo(1);
    }

    @Test
    void aLongPauseEmptiesTheWindow() {
        hedgesFor(100);
        now.addAndGet(TimeUnit.MINUTES.toNanos(10));

        budget.onRequest();
        assertThat(budget.tryHedge()).isFalse();
        assertThat(hedgesFor(9)).isEqualTo(1);
    }
}
