package io.edgegateway.server.proxy;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http2.HttpConversionUtil;

/**
 * Makes an upstream stream's messages look like HTTP/1.1's, as {@link UpstreamAttempt} expects them:
 * a response that came whole (HEADERS with END_STREAM) is a head then its last content; the codec's
 * {@code x-http2-*} extension headers never reach the client nor stay on a request head that another
 * try may send; and the stream closing after its response ended is no failure.
 */
final class Http2UpstreamMessages extends ChannelDuplexHandler {

    private static final String STREAM_ID = HttpConversionUtil.ExtensionHeaderNames.STREAM_ID.text().toString();
    private static final String SCHEME = HttpConversionUtil.ExtensionHeaderNames.SCHEME.text().toString();

    private boolean informational;
    private boolean responseEnded;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof FullHttpResponse full) {
            HttpResponse head = new DefaultHttpResponse(full.protocolVersion(), full.status(), full.headers());
            head.headers().remove(STREAM_ID);
            boolean interim = full.status().codeClass() == HttpStatusClass.INFORMATIONAL;
            ctx.fireChannelRead(head);
            responseEnded = !interim;
            ctx.fireChannelRead(new DefaultLastHttpContent(full.content(), full.trailingHeaders()));
            return;
        }
        if (msg instanceof HttpResponse head) {
            head.headers().remove(STREAM_ID);
            informational = head.status().codeClass() == HttpStatusClass.INFORMATIONAL;
        } else if (msg instanceof LastHttpContent) {
            responseEnded = !informational;
            informational = false;
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (!responseEnded) {
            ctx.fireChannelInactive(); // a reset, or the connection lost: the attempt fails
        }
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        ctx.write(msg, promise);
        if (msg instanceof HttpRequest request) {
            // The codec named the scheme on the head itself (it was encoded above); the head is shared by every try.
            request.headers().remove(SCHEME);
        }
    }
}
