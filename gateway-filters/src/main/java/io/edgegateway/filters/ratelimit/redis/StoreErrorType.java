package io.edgegateway.filters.ratelimit.redis;

import io.lettuce.core.RedisBusyException;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisLoadingException;
import io.lettuce.core.RedisReadOnlyException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

/** The {@code error_type} label of {@code gateway_ratelimit_store_errors_total}. */
enum StoreErrorType {
    TIMEOUT("timeout"),
    CONNECTION("connection"),
    SCRIPT("script"),
    CIRCUIT_OPEN("circuit_open");

    private final String label;

    StoreErrorType(String label) {
        this.label = label;
    }

    String label() {
        return label;
    }

    static StoreErrorType of(Throwable error) {
        Throwable cause = unwrap(error);
        if (cause instanceof RedisCommandTimeoutException || cause instanceof TimeoutException) {
            return TIMEOUT;
        }
        // A server that is loading, read-only (a demoted primary) or busy, or a cluster that is down,
        // cannot serve: like unreachable.
        if (cause instanceof RedisLoadingException || cause instanceof RedisReadOnlyException
                || cause instanceof RedisBusyException || isClusterDown(cause)) {
            return CONNECTION;
        }
        if (cause instanceof RedisCommandExecutionException) {
            return SCRIPT;
        }
        return CONNECTION;
    }

    /**
     * {@code CLUSTERDOWN}: a cluster node refusing every command while some slot has no live primary
     * (with {@code cluster-require-full-coverage yes}, between a primary's failure and its
     * replacement). Lettuce has no exception type of its own for it.
     */
    private static boolean isClusterDown(Throwable cause) {
        return cause instanceof RedisCommandExecutionException && cause.getMessage() != null
                && cause.getMessage().startsWith("CLUSTERDOWN");
    }

    static Throwable unwrap(Throwable error) {
        Throwable cause = error;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }
}
