package io.edgegateway.server.proxy;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import java.util.List;

/**
 * What the decoder lets through but a proxy must refuse, so that the gateway and its upstreams
 * never disagree on where one request ends (request smuggling) or where it goes.
 *
 * <p>The decoder itself already rejects {@code Content-Length} beside {@code Transfer-Encoding}
 * and differing duplicate {@code Content-Length} values.
 */
final class RequestChecks {

    private RequestChecks() {
    }

    /** Why the request is malformed, or null when it may be forwarded. */
    static String problem(HttpRequest request) {
        HttpHeaders headers = request.headers();
        List<String> hosts = headers.getAll(HttpHeaderNames.HOST);
        if (hosts.size() > 1) {
            return "more than one Host";
        }
        if (hosts.isEmpty() && request.protocolVersion().equals(HttpVersion.HTTP_1_1)) {
            return "HTTP/1.1 request without Host";
        }
        List<String> codings = headers.getAll(HttpHeaderNames.TRANSFER_ENCODING);
        if (!codings.isEmpty()
                && (codings.size() > 1 || !HttpHeaderValues.CHUNKED.contentEqualsIgnoreCase(codings.get(0).trim()))) {
            return "unsupported Transfer-Encoding";
        }
        if (request.method().equals(HttpMethod.CONNECT)) {
            return "CONNECT is not supported";
        }
        return null;
    }
}
