package io.edgegateway.config;

/** What a request gets when the rate-limit store cannot answer: {@code fail-open | fail-closed | local}. */
public enum FailurePolicy {
    FAIL_OPEN,
    FAIL_CLOSED,
    /** Each instance enforces its share of the quota in its own memory. */
    LOCAL
}
