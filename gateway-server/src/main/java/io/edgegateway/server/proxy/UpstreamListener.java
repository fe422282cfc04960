package io.edgegateway.server.proxy;

import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpResponse;

/**
 * What an upstream connection reports to whoever has borrowed it: the {@link Exchange}, or a
 * {@link HedgeAttempt} waiting to see whether its copy of the request answers first.
 */
interface UpstreamListener {

    void onResponseHead(HttpResponse response);

    void onResponseContent(HttpContent content);

    void onUpstreamReadComplete();

    void onUpstreamWritabilityChanged(boolean writable);

    /**
     * The connection closed or failed; {@code connectionLost} is false when it sent a response
     * that cannot be parsed, which no retry will mend.
     */
    void onUpstreamFailure(boolean connectionLost);

    void onResponseTimeout();
}
