package io.edgegateway.server.proxy;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;
import java.util.concurrent.TimeUnit;

/** What the proxy needs to know of gRPC over HTTP/2: which requests are gRPC calls, their status and deadline. */
final class Grpc {

    private static final AsciiString CONTENT_TYPE = AsciiString.cached("application/grpc");
    private static final AsciiString STATUS = AsciiString.cached("grpc-status");
    private static final AsciiString TIMEOUT = AsciiString.cached("grpc-timeout");
    /** The most digits a {@code grpc-timeout} may have. */
    private static final int TIMEOUT_DIGITS = 8;

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

    /**
     * The call's deadline from its {@code grpc-timeout} (at most 8 digits and a unit: {@code H M S m
     * u n}) in nanoseconds, or -1 when there is none or it is malformed; a timeout too long for a
     * long is as good as none.
     */
    static long timeoutNanos(HttpHeaders headers) {
        String value = headers.get(TIMEOUT);
        if (value == null || value.length() < 2 || value.length() > TIMEOUT_DIGITS + 1) {
            return -1;
        }
        long amount = 0;
        for (int i = 0; i < value.length() - 1; i++) {
            char digit = value.charAt(i);
            if (digit < '0' || digit > '9') {
                return -1;
            }
            amount = amount * 10 + digit - '0';
        }
        TimeUnit unit = switch (value.charAt(value.length() - 1)) {
            case 'H' -> TimeUnit.HOURS;
            case 'M' -> TimeUnit.MINUTES;
            case 'S' -> TimeUnit.SECONDS;
            case 'm' -> TimeUnit.MILLISECONDS;
            case 'u' -> TimeUnit.MICROSECONDS;
            case 'n' -> TimeUnit.NANOSECONDS;
            default -> null;
        };
        if (unit == null) {
            return -1;
        }
        long nanos = unit.toNanos(amount);
        return nanos == Long.MAX_VALUE ? -1 : nanos;
    }
}
