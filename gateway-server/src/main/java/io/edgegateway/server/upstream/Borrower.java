package io.edgegateway.server.upstream;

import io.netty.channel.Channel;

/** Who borrows a connection through {@link UpstreamPool#lend}; called on the pool's loop. */
public interface Borrower {

    /** {@code channel} is the borrower's until it releases it; {@code reused} when it served before. */
    void lent(Channel channel, boolean reused);

    /** No connection: the pool is exhausted, or connecting failed or timed out. */
    void notLent(Throwable cause);

    /** True once the borrower no longer wants a connection: one that arrives late goes back to the pool. */
    boolean gaveUp();
}
