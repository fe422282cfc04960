package io.edgegateway.filters.ratelimit.redis;

/**
 * A Redis shard could not decide: its circuit is open, it timed out, it is unreachable, or the
 * script failed. The rate-limit filter then applies {@code on-store-failure}.
 */
public final class StoreUnavailableException extends RuntimeException {

    private final String shard;
    private final String errorType;

    public StoreUnavailableException(String shard, String errorType, Throwable cause) {
        super("rate-limit shard " + shard + ": " + errorType + (cause == null ? "" : " (" + cause + ")"), cause,
                false, cause != null);
        this.shard = shard;
        this.errorType = errorType;
    }

    /** The shard's label, as in the {@code shard} metric label. */
    public String shard() {
        return shard;
    }

    /** {@code circuit_open}, {@code timeout}, {@code connection} or {@code script}. */
    public String errorType() {
        return errorType;
    }
}
