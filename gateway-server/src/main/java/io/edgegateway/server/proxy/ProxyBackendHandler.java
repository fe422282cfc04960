package io.edgegateway.server.proxy;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;

/**
 * The upstream side of the proxy: one per pooled upstream connection, bound to the exchange that
 * has borrowed the connection and unbound while the connection idles in its pool.
 */
public final class ProxyBackendHandler extends ChannelInboundHandlerAdapter {

    private Exchange exchange;

    void bind(Exchange exchange) {
        this.exchange = exchange;
    }

    void unbind() {
        this.exchange = null;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (exchange == null) {
            // An idle connection must not speak: whatever it says, it cannot be trusted again.
            ReferenceCountUtil.release(msg);
            ctx.close();
            return;
        }
        if (msg instanceof HttpObject object && object.decoderResult().isFailure()) {
            ReferenceCountUtil.release(msg);
            Exchange current = exchange;
            ctx.close();
            current.onUpstreamFailure(false);
            return;
        }
        if (msg instanceof HttpResponse response) {
            exchange.onResponseHead(response);
        } else if (msg instanceof HttpContent content) {
            exchange.onResponseContent(content);
        } else {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (exchange != null) {
            exchange.onUpstreamReadComplete();
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (exchange != null) {
            exchange.onUpstreamWritabilityChanged(ctx.channel().isWritable());
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (exchange != null) {
            exchange.onUpstreamFailure(true);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        Exchange current = exchange;
        ctx.close();
        if (current != null) {
            current.onUpstreamFailure(true);
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof IdleStateEvent && exchange == null) {
            ctx.close();
        }
        ReferenceCountUtil.release(event);
    }
}
