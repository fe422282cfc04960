package io.edgegateway.config;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Which response statuses a route's retries name. */
class RetryPolicyTest {

    @Test
    void onlyTheNamedServerErrorsAreRetried() {
        RetryPolicy policy = new RetryPolicy(2, Set.of(), Set.of(502, 503), Optional.empty(), 20);

        assertTrue(policy.retriesOnStatus(502));
        assertTrue(policy.retriesOnStatus(503));
        assertFalse(policy.retriesOnStatus(500));
        assertFalse(policy.retriesOnStatus(599));
        assertFalse(policy.retriesOnStatus(200));
        assertFalse(policy.retriesOnStatus(404));
        assertFalse(policy.retriesOnStatus(-1));
        assertFalse(policy.retriesOnStatus(1503));
    }

    @Test
    void oneAttemptRetriesNoStatus() {
        RetryPolicy policy = new RetryPolicy(1, Set.of(), Set.of(503), Optional.empty(), 20);

        assertFalse(policy.retriesOnStatus(503));
    }
}
