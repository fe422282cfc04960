package io.edgegateway.server.upstream;

import io.netty.channel.Channel;

/**
 * A connection lent by an {@link UpstreamPool}.
 *
 * @param reused true when the connection already carried an exchange, so the upstream may have
 *     closed it meanwhile and a failure before any response is worth one retry
 */
public record PooledConnection(Channel channel, boolean reused) { }
