package io.edgegateway.server.proxy;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpHeaderValidationUtil;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.util.ReferenceCountUtil;

/**
 * Checks a stream's request head before Netty's HTTP/1.1 bridge converts it, so that nothing the
 * bridge would throw on (leaking, for a request that ends with its headers, the body buffer it
 * allocated first) or would copy into an HTTP/1.1 request line gets there. A malformed head (RFC 9113 §8.3.1: a
 * missing or invalid {@code :method}, {@code :scheme} or {@code :path}, a {@code :path} that is not
 * an absolute path, a space or tab in {@code :path} or {@code :authority}) goes on as a request
 * that failed to decode, which the proxy answers with 400 as it does a malformed HTTP/1.1 request,
 * counted and logged; what the stream sends after it is dropped. What Netty's HPACK decoder
 * refuses itself (control characters in a field value, connection-specific fields, {@code te}
 * other than {@code trailers}, upper-case names, pseudo-header fields out of place, bad trailers)
 * never becomes a request: the frame codec resets the stream with PROTOCOL_ERROR.
 */
final class Http2RequestValidator extends ChannelInboundHandlerAdapter {

    /** What Netty's HTTP/1.1 decoder produces for a request it could not parse. */
    private static final String INVALID_TARGET = "/bad-request";

    private boolean headRead;
    /** The head was malformed: the stream is answered with 400 and the rest of it dropped. */
    private boolean refused;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (refused) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (!headRead && msg instanceof Http2HeadersFrame head) {
            headRead = true;
            String problem = requestProblem(head.headers());
            if (problem != null) {
                refused = true;
                ctx.fireChannelRead(malformed(problem));
                return;
            }
        }
        ctx.fireChannelRead(msg);
    }

    private static HttpRequest malformed(String problem) {
        HttpRequest request = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, INVALID_TARGET);
        request.setDecoderResult(DecoderResult.failure(new IllegalArgumentException(problem)));
        return request;
    }

    /** Why the request head is malformed, or null when the bridge can convert it. */
    static String requestProblem(Http2Headers headers) {
        CharSequence method = headers.method();
        if (method == null || method.length() == 0 || HttpHeaderValidationUtil.validateToken(method) != -1) {
            return "missing or invalid :method";
        }
        CharSequence authority = headers.authority();
        if (authority != null && !isTargetText(authority)) {
            return "invalid :authority";
        }
        if (HttpMethod.CONNECT.asciiName().contentEquals(method)) {
            // The bridge takes the authority for the target; the proxy then refuses CONNECT itself.
            return authority == null || authority.length() == 0 ? "CONNECT without :authority" : null;
        }
        CharSequence scheme = headers.scheme();
        if (scheme == null || !isScheme(scheme)) {
            return "missing or invalid :scheme";
        }
        CharSequence path = headers.path();
        if (path == null || !(startsWithSlash(path) || isAsteriskForm(path, method)) || !isTargetText(path)) {
            return "missing or invalid :path";
        }
        return null;
    }

    private static boolean startsWithSlash(CharSequence path) {
        return path.length() > 0 && path.charAt(0) == '/';
    }

    private static boolean isAsteriskForm(CharSequence path, CharSequence method) {
        return path.length() == 1 && path.charAt(0) == '*' && HttpMethod.OPTIONS.asciiName().contentEquals(method);
    }

    /** No space, tab (the HPACK decoder refuses other control characters) or DEL: what would split an HTTP/1.1 request line. */
    private static boolean isTargetText(CharSequence value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c <= ' ' || c == 0x7F) {
                return false;
            }
        }
        return true;
    }

    /** RFC 3986 §3.1: {@code ALPHA *( ALPHA / DIGIT / "+" / "-" / "." )}. */
    private static boolean isScheme(CharSequence scheme) {
        if (scheme.length() == 0 || !isAlpha(scheme.charAt(0))) {
            return false;
        }
        for (int i = 1; i < scheme.length(); i++) {
            char c = scheme.charAt(i);
            if (!isAlpha(c) && !(c >= '0' && c <= '9') && c != '+' && c != '-' && c != '.') {
                return false;
            }
        }
        return true;
    }

    private static boolean isAlpha(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }
}
