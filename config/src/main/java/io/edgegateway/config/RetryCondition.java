package io.edgegateway.config;

/**
 * A failure of an attempt that a route's {@code retries.on} may name ({@code connect-failure},
 * {@code reset}, {@code timeout}); status codes are named by number instead.
 */
public enum RetryCondition {
    /** The connection to the instance could not be made: nothing was sent, safe for any method. */
    CONNECT_FAILURE,
    /** The connection was reset or closed before a whole response head came. */
    RESET,
    /** No response head within the per-try timeout (or the route's response timeout). */
    TIMEOUT
}
