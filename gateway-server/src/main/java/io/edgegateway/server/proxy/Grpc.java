package io.edgegateway.server.proxy;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;

/** What the proxy needs to know of gRPC over HTTP/2: which requests are gRPC calls. */
final class Grpc {

    private static final AsciiString CONTENT_TYPE = AsciiString.cached("application/grpc");
    private static final AsciiString STATUS = AsciiString.cached("grpc-status");

    private Grpc() {
    }

    /**
     * Whether the request is a gRPC call ({@code content-type: application/grpc}, or
     * {@code application/grpc+proto} and the like). Its messages stream both ways, so its body is
     * never held back to be read whole.
     */
    static boolean isCall(HttpHeaders headers) {
        String type = headers.get(HttpHeaderNames.CONTENT_TYPE);
        return type != null && type.regionMatches(true, 0, CONTENT_TYPE.toString(), 0, CONTENT_TYPE.length())
                && (type.length() == CONTENT_TYPE.length() || type.charAt(CONTENT_TYPE.length()) == '+'
                        || type.charAt(CONTENT_TYPE.length()) == ';');
    }

    /** The {@code grpc-status} in these headers or trailers as a number, or -1 when there is none. */
    static int status(HttpHeaders headers) {
        String value = headers.get(STATUS);
        if (value == null || value.isEmpty() || value.length() > 9) {
            return -1;
        }
        int status = 0;
        for (int i = 0; i < value.length(); i++) {
            char digit = value.charAt(i);
            if (digit < '0' || digit > '9') {
                return -1;
            }
            status = status * 10 + digit - '0';
        }
        return status;
    }
}
