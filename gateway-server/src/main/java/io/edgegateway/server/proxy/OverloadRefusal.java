package io.edgegateway.server.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.ReadOnlyHttpHeaders;
import io.netty.util.AsciiString;
import java.nio.charset.StandardCharsets;

/**
 * The 503 {@code overloaded} a gateway whose event loop is behind answers with, built once: the same
 * status, headers and body as {@link LocalResponses#error} with {@code Retry-After: 1}, in the same
 * order, so that refusing costs as little as the HTTP encoder allows. Each answer is a small
 * response object over shared read-only headers and a duplicate of one shared body.
 *
 * <p>Not a pre-encoded byte buffer written past the encoder: {@code HttpServerCodec} pairs every
 * response with its request's method (a HEAD's response has no body), and a response that skipped
 * it would leave the pairing one behind for the rest of the connection.
 *
 * <p>A request id is echoed only when the client sent one: none is made up for a refusal, since
 * a refusal is in no access log line (see {@link EventLoopLag}) that such an id could find.
 */
final class OverloadRefusal {

    static final String CODE = "overloaded";

    private static final byte[] BODY_BYTES = ("{\"error\":\"" + CODE + "\"}").getBytes(StandardCharsets.US_ASCII);
    /**
     * Never released: each answer takes a retained duplicate, which the encoder releases (a no-op on
     * an unreleasable buffer). On the heap: the encoder copies a body this small into the buffer it
     * writes the head to.
     */
    private static final ByteBuf BODY = Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(BODY_BYTES).asReadOnly());
    private static final AsciiString BODY_LENGTH = AsciiString.of(Integer.toString(BODY_BYTES.length));
    private static final AsciiString ONE_SECOND = AsciiString.of("1");
    private static final HttpHeaders KEEP_ALIVE = headers(false);
    private static final HttpHeaders CLOSE = headers(true);
    private static final HttpHeaders NO_TRAILERS = new ReadOnlyHttpHeaders(false);

    private OverloadRefusal() {
    }

    /**
     * The answer to one refused request; {@code requestId} is the client's X-Request-Id or null. With
     * {@code close} it says {@code Connection: close}.
     */
    static FullHttpResponse response(boolean close, String requestId) {
        HttpHeaders headers = close ? CLOSE : KEEP_ALIVE;
        if (requestId != null) {
            headers = DefaultHttpHeadersFactory.headersFactory().withValidation(false).newHeaders()
                    .add(headers).set(ProxyHeaders.X_REQUEST_ID, requestId);
            if (close) {
                // After the id, where LocalResponses' answers put it.
                headers.remove(HttpHeaderNames.CONNECTION).add(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            }
        }
        return new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.SERVICE_UNAVAILABLE,
                BODY.retainedDuplicate(), headers, NO_TRAILERS);
    }

    /** The body's bytes, for tests. */
    static String body() {
        return new String(BODY_BYTES, StandardCharsets.US_ASCII);
    }

    private static HttpHeaders headers(boolean close) {
        CharSequence[] fields = close
                ? new CharSequence[] {
                    HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON,
                    HttpHeaderNames.CONTENT_LENGTH, BODY_LENGTH,
                    HttpHeaderNames.RETRY_AFTER, ONE_SECOND,
                    HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE}
                : new CharSequence[] {
                    HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON,
                    HttpHeaderNames.CONTENT_LENGTH, BODY_LENGTH,
                    HttpHeaderNames.RETRY_AFTER, ONE_SECOND};
        return new ReadOnlyHttpHeaders(false, fields);
    }
}
