package io.edgegateway.server.proxy;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http2.HttpConversionUtil;

/**
 * Makes a request from Netty's HTTP/2 stream bridge look like one from the HTTP/1.1 decoder:
 * <ul>
 *   <li>the bridge's own headers ({@code x-http2-stream-id}, {@code x-http2-scheme}, ...) are
 *       dropped, so they never reach an upstream;
 *   <li>a request that ends with its headers arrives as one {@link FullHttpRequest}, and the proxy
 *       takes every request as a head followed by content ending with a last content: it is split.
 * </ul>
 */
final class Http2RequestAdapter extends ChannelInboundHandlerAdapter {

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpRequest request) {
            removeBridgeHeaders(request.headers());
        }
        if (msg instanceof FullHttpRequest full) {
            ctx.fireChannelRead(new DefaultHttpRequest(full.protocolVersion(), full.method(), full.uri(), full.headers()));
            ctx.fireChannelRead(new DefaultLastHttpContent(full.content(), full.trailingHeaders()));
        } else {
            ctx.fireChannelRead(msg);
        }
    }

    private static void removeBridgeHeaders(HttpHeaders headers) {
        for (HttpConversionUtil.ExtensionHeaderNames name : HttpConversionUtil.ExtensionHeaderNames.values()) {
            headers.remove(name.text());
        }
    }
}
