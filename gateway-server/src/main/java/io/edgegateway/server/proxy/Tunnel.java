package io.edgegateway.server.proxy;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.flow.FlowControlHandler;
import io.netty.handler.timeout.IdleStateHandler;
import java.util.concurrent.TimeUnit;

/**
 * A client connection and an upstream connection joined byte for byte, once the upstream answered
 * an upgrade request (RFC 9110 §7.8) to a protocol of the route's {@code upgrades} (WebSocket unless
 * the route says otherwise) with 101 for that protocol: the
 * HTTP handlers leave both pipelines and a {@link TunnelRelay} on each side copies what it reads to
 * the other, reading on only while the other side keeps up. The tunnel closes as a whole: when either
 * side closes, or when neither carried a byte for the route's {@code timeouts.upgraded-idle}.
 *
 * <p>Both connections are on the same event loop (the upstream pools are per loop), so the relays
 * never need a lock.
 */
final class Tunnel {

    private Tunnel() {
    }

    /**
     * Whether {@code request} asks to switch protocols in a way the gateway can pass through: HTTP/1.1,
     * {@code Connection: upgrade} and an {@code Upgrade} field, and no body, so that the request has
     * ended with its head and whatever follows belongs to the new protocol. Whether it may is for its
     * route's {@code upgrades} to say.
     */
    static boolean isRequested(HttpRequest request, boolean hasBody) {
        if (hasBody || !request.protocolVersion().equals(HttpVersion.HTTP_1_1)) {
            return false;
        }
        HttpHeaders headers = request.headers();
        String protocols = headers.get(HttpHeaderNames.UPGRADE);
        return protocols != null && !protocols.isBlank()
                && headers.containsValue(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE, true);
    }

    /**
     * Takes the request decoder out of the client's pipeline at an upgrade request's head. A client
     * may send the new protocol right behind its request (a WebSocket frame behind the handshake);
     * the decoder would read those bytes as the next request. Removed, it hands the bytes it holds
     * down the pipeline as they are, where they wait in the flow control for the tunnel. The response
     * encoder stays for the answer.
     */
    static void stopDecoding(ChannelPipeline client) {
        HttpServerCodec codec = client.get(HttpServerCodec.class);
        if (codec != null) {
            codec.removeInboundHandler();
        }
    }

    /**
     * Turns the two connections into a tunnel; the 101 has been written to {@code client}. Each
     * decoder removed hands on the bytes it still holds, so the encoders go first and the relays are
     * in place before any of those bytes move.
     */
    static void open(Channel client, Channel upstream, long idleTimeoutNanos) {
        upstream.config().setAutoRead(false);
        ChannelPipeline clientSide = client.pipeline();
        ChannelPipeline upstreamSide = upstream.pipeline();
        clientSide.replace(ProxyFrontendHandler.class, "tunnel", new TunnelRelay(upstream));
        upstreamSide.replace(ProxyBackendHandler.class, "tunnel", new TunnelRelay(client));
        watchIdle(clientSide, idleTimeoutNanos);
        watchIdle(upstreamSide, idleTimeoutNanos);
        // Its decoder left at the request head; the 101 is already encoded.
        removeIfPresent(clientSide, HttpServerCodec.class);
        RequestHeadDeadline.remove(clientSide);
        // Hands on what the upstream sent right behind its 101 ...
        removeIfPresent(upstreamSide, HttpClientCodec.class);
        // ... and what the client sent behind its request head.
        removeIfPresent(clientSide, FlowControlHandler.class);
        client.flush();
        if (!client.isActive() || !upstream.isActive()) {
            // Closed during the switch, before a relay could see it go.
            TunnelRelay.closeAfterFlush(client);
            TunnelRelay.closeAfterFlush(upstream);
            return;
        }
        TunnelRelay.readIfPeerWritable(client, upstream);
        TunnelRelay.readIfPeerWritable(upstream, client);
    }

    /** Both directions idle for the timeout: an all-idle event, on which the relay closes the tunnel. */
    private static void watchIdle(ChannelPipeline pipeline, long idleTimeoutNanos) {
        IdleStateHandler idle = new IdleStateHandler(0, 0, idleTimeoutNanos, TimeUnit.NANOSECONDS);
        if (pipeline.get(IdleStateHandler.class) != null) {
            pipeline.replace(IdleStateHandler.class, "tunnel-idle", idle);
        } else {
            pipeline.addFirst("tunnel-idle", idle);
        }
    }

    private static void removeIfPresent(ChannelPipeline pipeline, Class<? extends ChannelHandler> type) {
        if (pipeline.get(type) != null) {
            pipeline.remove(type);
        }
    }
}
