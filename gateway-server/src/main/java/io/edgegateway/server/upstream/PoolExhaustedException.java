package io.edgegateway.server.upstream;

/** Every connection to an upstream is busy and the queue of waiting requests is full. */
public final class PoolExhaustedException extends Exception {

    public PoolExhaustedException(UpstreamAddress address) {
        super("connection pool to " + address.label() + " is exhausted", null, false, false);
    }
}
