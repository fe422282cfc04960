package io.edgegateway.server.proxy;

import io.netty.channel.Channel;
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
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2GoAwayFrame;
import io.netty.handler.codec.http2.Http2ResetFrame;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.HttpConversionUtil;

/**
 * Makes an upstream stream's messages look like HTTP/1.1's, as {@link UpstreamAttempt} expects them:
 * a response that came whole (HEADERS with END_STREAM) is a head then its last content; the codec's
 * {@code x-http2-*} extension headers never reach the client nor stay on a request head that another
 * try may send; the stream closing after its response ended is no failure; and a stream the instance
 * refused (RST_STREAM REFUSED_STREAM, or above a GOAWAY's last stream) is known to be unprocessed
 * (RFC 9113 §8.7), so that it is tried again as a stale HTTP/1.1 connection is.
 */
final class Http2UpstreamMessages extends ChannelDuplexHandler {

    private static final String STREAM_ID = HttpConversionUtil.ExtensionHeaderNames.STREAM_ID.text().toString();
    private static final String SCHEME = HttpConversionUtil.ExtensionHeaderNames.SCHEME.text().toString();

    private boolean informational;
    private boolean responseEnded;
    private boolean refused;

    /** Whether the instance refused {@code stream} unprocessed; call before its pipeline is gone. */
    static boolean refused(Channel stream) {
        Http2UpstreamMessages messages = stream.pipeline().get(Http2UpstreamMessages.class);
        return messages != null && messages.refused;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof Http2ResetFrame reset && reset.errorCode() == Http2Error.REFUSED_STREAM.code()) {
            refused = true;
        } else if (event instanceof Http2GoAwayFrame goAway && ctx.channel() instanceof Http2StreamChannel stream
                && stream.stream().id() > goAway.lastStreamId()) {
            refused = true;
        }
        ctx.fireUserEventTriggered(event);
    }

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
