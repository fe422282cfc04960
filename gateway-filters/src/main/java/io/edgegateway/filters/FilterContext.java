package io.edgegateway.filters;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.util.concurrent.EventExecutor;

/**
 * One request as the filters see it: what it is, who sent it, and the headers the filters want on
 * its response. Typed fields, not a map of names: each filter's state has its own field.
 */
public final class FilterContext {

    private final String routeId;
    private final HttpMethod method;
    private final String path;
    private final HttpHeaders requestHeaders;
    private final String peerIp;
    private final EventExecutor eventLoop;
    private int position;
    private String identity;
    private String identitySource;
    private String limiterDecision;
    private HttpHeaders responseHeaders;
    private ResponseFields responseFields;
    /** The admission a filter took for the request, released once when it ends; null when none. */
    private Releasable admission;

    public FilterContext(String routeId, HttpMethod method, String path, HttpHeaders requestHeaders, String peerIp,
            EventExecutor eventLoop) {
        this.routeId = routeId;
        this.method = method;
        this.path = path;
        this.requestHeaders = requestHeaders;
        this.peerIp = peerIp;
        this.eventLoop = eventLoop;
    }

    /** Fields a filter has written into the response's own headers when that response is made. */
    public interface ResponseFields {
        /** Sets the fields in {@code headers}, replacing any of the same name. */
        void writeTo(HttpHeaders headers);
    }

    /** Something taken for the request that must be given back once, however it ends. */
    public interface Releasable {
        void release();
    }

    /** A filter admitted the request and left this to release when it ends. */
    public void admittedBy(Releasable taken) {
        this.admission = taken;
    }

    /** The admission to release when the request ends, or null. */
    public Releasable admission() {
        return admission;
    }

    int advance() {
        return position++;
    }

    public String routeId() {
        return routeId;
    }

    public HttpMethod method() {
        return method;
    }

    public String path() {
        return path;
    }

    public HttpHeaders requestHeaders() {
        return requestHeaders;
    }

    /** The address of the connection's peer, which may be a proxy in front of the client. */
    public String peerIp() {
        return peerIp;
    }

    /** The request's event loop, where asynchronous filters should complete. */
    public EventExecutor eventLoop() {
        return eventLoop;
    }

    /** Who is calling, once the identity filter has run; null before, or when nobody was identified. */
    public String identity() {
        return identity;
    }

    public void identity(String identity) {
        this.identity = identity;
    }

    /** Which identity source named the caller (header, jwt, client-ip), for traces; null when none did. */
    public String identitySource() {
        return identitySource;
    }

    public void identitySource(String source) {
        this.identitySource = source;
    }

    /** What the rate limiter decided (allowed, denied, fail_open, ...), for the access log; null when it did not run. */
    public String limiterDecision() {
        return limiterDecision;
    }

    public void limiterDecision(String decision) {
        this.limiterDecision = decision;
    }

    /** Headers for the response, whichever answers: created on first use. */
    public HttpHeaders responseHeaders() {
        if (responseHeaders == null) {
            responseHeaders = new DefaultHttpHeaders();
        }
        return responseHeaders;
    }

    /**
     * Has {@code fields} written into the response, whichever answers, once it is made. For fields
     * that every response of a route carries (the rate-limit ones), this spares the header map of
     * {@link #responseHeaders()} and the copy of it into the response. One writer per request: a
     * second one writes into {@link #responseHeaders()} at once.
     */
    public void responseFields(ResponseFields fields) {
        if (responseFields == null) {
            responseFields = fields;
        } else {
            fields.writeTo(responseHeaders());
        }
    }

    public boolean hasResponseHeaders() {
        return responseFields != null || responseHeaders != null && !responseHeaders.isEmpty();
    }

    /**
     * Sets everything the filters want on the response in {@code headers}, replacing fields of the
     * same name: the {@link #responseFields} writer's, then {@link #responseHeaders()}.
     */
    public void writeResponseHeaders(HttpHeaders headers) {
        if (responseFields != null) {
            responseFields.writeTo(headers);
        }
        if (responseHeaders != null && !responseHeaders.isEmpty()) {
            headers.setAll(responseHeaders);
        }
    }
}
