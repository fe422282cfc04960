package io.edgegateway.server.proxy;

import io.edgegateway.config.UnderscoreHeaders;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.Iterator;
import java.util.List;

/**
 * What the decoder lets through but a proxy must refuse, so that the gateway and its upstreams
 * never disagree on where one request ends (request smuggling) or where it goes. A refused
 * request is answered and its connection closed: what follows it on the connection is never read.
 *
 * <p>The decoder itself (configured in {@link ProxyChannelInitializer#decoderConfig}) already
 * rejects bare LF, {@code Content-Length} beside {@code Transfer-Encoding}, differing duplicate
 * {@code Content-Length} values, methods that are not tokens and malformed chunk framing.
 */
final class RequestChecks {

    /** How a refused request is answered. */
    enum Refusal {
        BAD_REQUEST(HttpResponseStatus.BAD_REQUEST, "bad_request"),
        VERSION_NOT_SUPPORTED(HttpResponseStatus.HTTP_VERSION_NOT_SUPPORTED, "http_version_not_supported");

        final HttpResponseStatus status;
        final String code;

        Refusal(HttpResponseStatus status, String code) {
            this.status = status;
            this.code = code;
        }
    }

    private RequestChecks() {
    }

    /**
     * Why the request head is refused, or null when it may be routed. With {@code underscores =
     * drop}, fields whose name has {@code _} are removed here, before anything reads them.
     */
    static Refusal refusal(HttpRequest request, UnderscoreHeaders underscores) {
        HttpVersion version = request.protocolVersion();
        // The decoder hands out its HTTP/1.0 and HTTP/1.1 constants only for the exact, upper-case
        // text; any other version is a new object, "http/1.1" included.
        if (version != HttpVersion.HTTP_1_1 && version != HttpVersion.HTTP_1_0) {
            return version.majorVersion() == 1 && version.minorVersion() <= 1
                    ? Refusal.BAD_REQUEST : Refusal.VERSION_NOT_SUPPORTED;
        }
        if (!isTargetClean(request.uri())) {
            return Refusal.BAD_REQUEST;
        }
        HttpHeaders headers = request.headers();
        // Every request passes here: the fields are walked in place rather than copied into lists.
        Iterator<? extends CharSequence> hosts = headers.valueCharSequenceIterator(HttpHeaderNames.HOST);
        if (hosts.hasNext()) {
            CharSequence host = hosts.next();
            if (hosts.hasNext() || !HostSyntax.isValid(host.toString())) {
                return Refusal.BAD_REQUEST;
            }
        } else if (version == HttpVersion.HTTP_1_1) {
            return Refusal.BAD_REQUEST;
        }
        if (headers.contains(HttpHeaderNames.TRANSFER_ENCODING)) {
            List<String> codings = headers.getAll(HttpHeaderNames.TRANSFER_ENCODING);
            if (codings.size() > 1 || !HttpHeaderValues.CHUNKED.contentEqualsIgnoreCase(codings.get(0).trim())) {
                return Refusal.BAD_REQUEST;
            }
        }
        if (request.method().equals(HttpMethod.CONNECT)) {
            return Refusal.BAD_REQUEST;
        }
        return UnderscoredHeaderFields.screen(headers, underscores) ? null : Refusal.BAD_REQUEST;
    }

    /**
     * True when a piece of request body must not be forwarded: the decoder found the body's framing
     * broken (a bad chunk size, chunk data not followed by CRLF, a bare LF), or its trailers carry a
     * field with {@code _} under {@code reject} (under {@code drop}, such trailer fields are removed).
     */
    static boolean isBodyRefused(HttpContent content, UnderscoreHeaders underscores) {
        if (content.decoderResult().isFailure()) {
            return true;
        }
        return content instanceof LastHttpContent last && !last.trailingHeaders().isEmpty()
                && !UnderscoredHeaderFields.screen(last.trailingHeaders(), underscores);
    }

    /**
     * No control character, space or DEL in the request target (RFC 9112 §3.2 allows none): the
     * decoder splits the line on spaces but passes NUL, the other CTLs and DEL through.
     */
    static boolean isTargetClean(String uri) {
        for (int i = 0; i < uri.length(); i++) {
            char c = uri.charAt(i);
            if (c <= ' ' || c == 0x7f) {
                return false;
            }
        }
        return true;
    }
}
