package io.edgegateway.filters.ratelimit.redis;

import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A failed attempt to open a connection, as every call that waited on that attempt sees it: the
 * breaker hears of it once, from whichever call claims it first, however many calls waited.
 * A {@link CompletionException}, so {@link StoreErrorType} classifies it by its cause.
 */
final class ConnectFailure extends CompletionException {

    private final AtomicBoolean counted = new AtomicBoolean();

    ConnectFailure(Throwable cause) {
        super(cause);
    }

    /** True for the first caller only: the one that reports this attempt to the breaker. */
    boolean claimCount() {
        return counted.compareAndSet(false, true);
    }

    /** Whether {@code error} is an attempt already counted, so the call that saw it is not counted again. */
    static boolean alreadyCounted(Throwable error) {
        return error instanceof ConnectFailure failure && !failure.claimCount();
    }
}
