package io.edgegateway.server.proxy;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.util.Iterator;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The {@code Via} field a gateway adds to each request it forwards (RFC 9110 §7.6.3), under a
 * pseudonym of its own, and what it makes of a request that already carries it: the request has
 * come round to this gateway again, a route pointing back at it (directly, or through a load
 * balancer and other gateways). Without this, each hop would open another connection and append
 * to {@code X-Forwarded-For} until the header block passed {@code limits.max-header-bytes}, some
 * thousand hops later; with it, the second visit is answered 508 {@code loop_detected}.
 *
 * <p>The pseudonym is random per server, so two gateways chained on purpose never take each other
 * for a loop, and it names no host or port of the deployment.
 */
final class Via {

    static final HttpResponseStatus LOOP_DETECTED = HttpResponseStatus.valueOf(508, "Loop Detected");

    private final String pseudonym;
    private final String overHttp10;
    private final String overHttp11;
    private final String overHttp2;

    private Via(String pseudonym) {
        this.pseudonym = pseudonym;
        this.overHttp10 = "1.0 " + pseudonym;
        this.overHttp11 = "1.1 " + pseudonym;
        this.overHttp2 = "2 " + pseudonym;
    }

    static Via random() {
        return new Via("edge-gateway-" + Long.toHexString(ThreadLocalRandom.current().nextLong() | Long.MIN_VALUE));
    }

    String pseudonym() {
        return pseudonym;
    }

    /** Whether a request with these headers has been forwarded by this gateway before. */
    boolean hasPassed(HttpHeaders headers) {
        if (!headers.contains(HttpHeaderNames.VIA)) {
            return false; // most requests: no iterator made
        }
        Iterator<? extends CharSequence> values = headers.valueCharSequenceIterator(HttpHeaderNames.VIA);
        while (values.hasNext()) {
            if (values.next().toString().contains(pseudonym)) {
                return true;
            }
        }
        return false;
    }

    /** Adds this gateway to the {@code Via} of a request it received over {@code version} (or HTTP/2). */
    void append(HttpHeaders headers, HttpVersion version, boolean http2) {
        String entry = http2 ? overHttp2 : version == HttpVersion.HTTP_1_0 ? overHttp10 : overHttp11;
        String existing = headers.get(HttpHeaderNames.VIA);
        if (existing == null) {
            headers.add(HttpHeaderNames.VIA, entry); // most requests: nothing to look for and remove first
        } else {
            headers.set(HttpHeaderNames.VIA, existing.isBlank() ? entry : existing + ", " + entry);
        }
    }
}
