package io.edgegateway.config;

/** How the rate limiter counts: {@code sliding-log | sliding-window | token-bucket}. */
public enum Algorithm {
    /** Exact: every request's timestamp in the window is kept. */
    SLIDING_LOG,
    /** Approximate: the previous fixed window is weighted by its overlap with the sliding one. */
    SLIDING_WINDOW,
    TOKEN_BUCKET
}
