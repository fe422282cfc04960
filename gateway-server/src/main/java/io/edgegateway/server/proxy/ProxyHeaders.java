package io.edgegateway.server.proxy;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/** The header rewriting a forwarding proxy owes both directions (RFC 9110 §7.6). */
final class ProxyHeaders {

    static final AsciiString X_FORWARDED_FOR = AsciiString.cached("x-forwarded-for");
    static final AsciiString X_FORWARDED_PROTO = AsciiString.cached("x-forwarded-proto");
    static final AsciiString X_FORWARDED_HOST = AsciiString.cached("x-forwarded-host");
    static final AsciiString X_REQUEST_ID = AsciiString.cached("x-request-id");
    static final AsciiString HTTP = AsciiString.cached("http");
    static final AsciiString HTTPS = AsciiString.cached("https");
    static final AsciiString PROXY_CONNECTION = AsciiString.cached("proxy-connection");

    /** Fields that describe one connection, never the message, so they never cross the proxy. */
    private static final List<AsciiString> HOP_BY_HOP = List.of(
            HttpHeaderNames.CONNECTION, HttpHeaderNames.KEEP_ALIVE, PROXY_CONNECTION,
            HttpHeaderNames.TE, HttpHeaderNames.TRAILER, HttpHeaderNames.TRANSFER_ENCODING,
            HttpHeaderNames.UPGRADE, HttpHeaderNames.PROXY_AUTHENTICATE, HttpHeaderNames.PROXY_AUTHORIZATION);

    private ProxyHeaders() {
    }

    /**
     * Removes the hop-by-hop fields and every field that {@code Connection} or
     * {@code Proxy-Connection} names, except those the message's own framing and routing rest on.
     * Most messages carry none of them, so one pass over the fields decides whether to look closer.
     */
    static void removeHopByHop(HttpHeaders headers) {
        if (!hasHopByHop(headers)) {
            return;
        }
        removeNamedIn(headers, HttpHeaderNames.CONNECTION);
        removeNamedIn(headers, PROXY_CONNECTION);
        for (AsciiString name : HOP_BY_HOP) {
            headers.remove(name);
        }
    }

    /**
     * As {@link #removeHopByHop}, but a gRPC call's {@code TE: trailers} is kept: the client says it
     * takes trailers, which a gRPC service needs to hear and HTTP/2 carries end to end (the one
     * {@code TE} value RFC 9113 §8.2.2 allows). Other {@code TE} values are this hop's own.
     */
    static void removeHopByHopKeepingTrailers(HttpHeaders headers) {
        boolean trailers = headers.containsValue(HttpHeaderNames.TE, HttpHeaderValues.TRAILERS, true);
        removeHopByHop(headers);
        if (trailers) {
            headers.set(HttpHeaderNames.TE, HttpHeaderValues.TRAILERS);
        }
    }

    /**
     * As {@link #removeHopByHop}, but for an upgrade request or its 101 answer, which the next hop
     * must see as one (RFC 9110 §7.8): {@code Upgrade} is kept and {@code Connection} says only
     * {@code upgrade}.
     */
    static void removeHopByHopKeepingUpgrade(HttpHeaders headers) {
        String upgrade = headers.get(HttpHeaderNames.UPGRADE);
        removeHopByHop(headers);
        if (upgrade != null) {
            headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE);
            headers.set(HttpHeaderNames.UPGRADE, upgrade);
        }
    }

    private static boolean hasHopByHop(HttpHeaders headers) {
        Iterator<Map.Entry<CharSequence, CharSequence>> fields = headers.iteratorCharSequence();
        while (fields.hasNext()) {
            CharSequence name = fields.next().getKey();
            for (AsciiString hop : HOP_BY_HOP) {
                if (hop.length() == name.length() && hop.contentEqualsIgnoreCase(name)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static void removeNamedIn(HttpHeaders headers, AsciiString field) {
        if (!headers.contains(field)) {
            return; // most messages: no list to make
        }
        List<String> values = headers.getAll(field);
        for (String value : values) {
            int start = 0;
            while (start < value.length()) {
                int comma = value.indexOf(',', start);
                int end = comma < 0 ? value.length() : comma;
                String token = value.substring(start, end).trim();
                if (!token.isEmpty() && !isProtected(token)) {
                    headers.remove(token);
                }
                start = end + 1;
            }
        }
    }

    private static boolean isProtected(String name) {
        return HttpHeaderNames.HOST.contentEqualsIgnoreCase(name)
                || HttpHeaderNames.CONTENT_LENGTH.contentEqualsIgnoreCase(name);
    }

    /** Adds the client to {@code X-Forwarded-For}, after the addresses earlier proxies added. */
    static void appendForwardedFor(HttpHeaders headers, String clientIp) {
        String existing = headers.get(X_FORWARDED_FOR);
        headers.set(X_FORWARDED_FOR, existing == null || existing.isBlank() ? clientIp : existing + ", " + clientIp);
    }
}
