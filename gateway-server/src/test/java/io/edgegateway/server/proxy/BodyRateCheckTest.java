package io.edgegateway.server.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The minimum body rate's arithmetic, on a clock the test drives (times in nanoseconds, windows of 10). */
class BodyRateCheckTest {

    private final BodyRateCheck check = new BodyRateCheck(100, 10);

    @Test
    void nothingIsJudgedBeforeAWholeWindowWasWaited() {
        check.start();
        check.waiting(0);

        assertThat(check.tooSlow(9)).isFalse();
        assertThat(check.nanosLeftInWindow(9)).isEqualTo(1);
        assertThat(check.tooSlow(10)).isTrue();
    }

    @Test
    void everyWindowMustBringTheMinimum() {
        check.start();
        check.waiting(0);
        check.received(100, 5);
        check.waiting(5);

        assertThat(check.tooSlow(10)).as("first window brought 100").isFalse();
        assertThat(check.nanosLeftInWindow(10)).isEqualTo(10);
        check.received(99, 15);
        check.waiting(15);
        assertThat(check.tooSlow(20)).as("second window brought 99").isTrue();
    }

    @Test
    void timeNotWaitingForTheClientDoesNotCount() {
        check.start();
        check.waiting(0);
        check.received(10, 4);
        // The gateway stops reading for a long while (its upstream cannot take more) ...
        assertThat(check.tooSlow(1_000)).isFalse();
        assertThat(check.nanosLeftInWindow(1_000)).isEqualTo(6);
        // ... and only the waiting after it resumes counts on.
        check.waiting(1_000);
        assertThat(check.tooSlow(1_005)).isFalse();
        assertThat(check.tooSlow(1_006)).isTrue();
    }

    @Test
    void aWindowThatEndedBeforeAPieceArrivedIsJudgedWithoutIt() {
        check.start();
        check.waiting(0);
        check.received(500, 12);

        assertThat(check.tooSlow(12)).isTrue();
    }

    @Test
    void aNewBodyStartsAFreshGracePeriod() {
        check.start();
        check.waiting(0);
        assertThat(check.tooSlow(10)).isTrue();

        check.start();
        check.waiting(20);
        assertThat(check.tooSlow(29)).isFalse();
    }
}
