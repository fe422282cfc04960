package io.edgegateway.server.proxy;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.AsciiString;

/**
 * The gateway's own answers to a gRPC call: HTTP 200 with the status in {@code grpc-status} and
 * the gateway's error code in {@code grpc-message}, no body ("Trailers-Only", one HEADERS frame),
 * because a gRPC client reads an HTTP error status as a transport failure and loses the reason.
 */
final class GrpcLocalResponses {

    static final AsciiString GRPC_STATUS = AsciiString.cached("grpc-status");
    static final AsciiString GRPC_MESSAGE = AsciiString.cached("grpc-message");
    static final int DEADLINE_EXCEEDED = 4;
    private static final int UNKNOWN = 2;
    private static final AsciiString APPLICATION_GRPC = AsciiString.cached("application/grpc");

    private GrpcLocalResponses() {
    }

    static FullHttpResponse error(HttpResponseStatus status, String code) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                Unpooled.EMPTY_BUFFER);
        response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, APPLICATION_GRPC)
                .setInt(GRPC_STATUS, statusFor(status.code()))
                .set(GRPC_MESSAGE, code);
        return response;
    }

    /**
     * The end of a call whose response head already went out: trailers with {@code grpcStatus} and
     * {@code code} as its message.
     */
    static LastHttpContent trailers(int grpcStatus, String code) {
        LastHttpContent last = new DefaultLastHttpContent(Unpooled.EMPTY_BUFFER);
        last.trailingHeaders().setInt(GRPC_STATUS, grpcStatus).set(GRPC_MESSAGE, code);
        return last;
    }

    /**
     * The gRPC status code for the HTTP status the gateway would have answered with: gRPC's own
     * HTTP mapping, except that a rate limit (429) is RESOURCE_EXHAUSTED rather than UNAVAILABLE, so
     * that a client does not retry it at once, and a gateway timeout (504) is DEADLINE_EXCEEDED.
     */
    static int statusFor(int httpStatus) {
        return switch (httpStatus) {
            case 400 -> 13; // INTERNAL: the gateway could not make out the call
            case 401 -> 16; // UNAUTHENTICATED
            case 403 -> 7; // PERMISSION_DENIED
            case 404 -> 12; // UNIMPLEMENTED: no route for the method's path
            case 408, 504 -> DEADLINE_EXCEEDED;
            case 413, 429, 431 -> 8; // RESOURCE_EXHAUSTED
            case 502, 503 -> 14; // UNAVAILABLE
            default -> UNKNOWN;
        };
    }
}
