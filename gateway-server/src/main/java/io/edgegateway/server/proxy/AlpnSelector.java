package io.edgegateway.server.proxy;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ApplicationProtocolNegotiationHandler;
import io.netty.handler.timeout.IdleStateEvent;

/** After the TLS handshake, sets the pipeline up for the protocol ALPN agreed on (HTTP/1.1 without ALPN). */
final class AlpnSelector extends ApplicationProtocolNegotiationHandler {

    private final ProxyChannelInitializer protocols;

    AlpnSelector(ProxyChannelInitializer protocols) {
        super(ApplicationProtocolNames.HTTP_1_1);
        this.protocols = protocols;
    }

    @Override
    protected void configurePipeline(ChannelHandlerContext ctx, String protocol) {
        if (ApplicationProtocolNames.HTTP_2.equals(protocol)) {
            protocols.addHttp2(ctx.channel());
        } else {
            protocols.addHttp1(ctx.channel());
        }
    }

    /** No finished handshake within the idle timeout. */
    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
        if (event instanceof IdleStateEvent) {
            ctx.close();
        } else {
            super.userEventTriggered(ctx, event);
        }
    }

    @Override
    protected void handshakeFailure(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close(); // a failed handshake is the client's problem; nothing worth a log line per connection
    }
}
