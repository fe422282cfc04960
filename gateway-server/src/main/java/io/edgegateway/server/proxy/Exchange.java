package io.edgegateway.server.proxy;

import io.edgegateway.filters.FilterContext;
import io.edgegateway.filters.shed.Priority;
import io.edgegateway.server.routing.Route;
import io.edgegateway.server.upstream.AttemptOutcome;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One request's trip through the proxy, client side: the body streamed up (or read whole first when
 * small, {@link BodyBuffer}, so a slow sender holds no upstream connection), the response streamed
 * down with its framing, backpressure both ways, and the record of how it went (metrics, the live
 * latency window, the access log, the shedder's admission). Which instances serve it, retries and
 * hedges are the {@link UpstreamCall}'s. An upgrade answered 101 for one of the route's
 * {@code upgrades} turns the connections into a {@link Tunnel}; a client that goes away after its
 * request was sent whole leaves the connection to an {@link UpstreamDrain}. Everything happens on
 * the client's event loop.
 */
final class Exchange implements UpstreamCall.Listener {

    private final ProxyFrontendHandler client;
    private final ProxyContext context;
    private final Route route;
    private final RequestRecord record;
    private final String requestId;
    private final String method;
    private final boolean hasBody;
    private final boolean clientKeepAlive;
    private final boolean clientHttp10;
    private final boolean headRequest;
    /**
     * The protocols the request may switch to (the route's among those it asked for), or null for an
     * ordinary request; a 101 to one of them turns the connections into a tunnel.
     */
    private final String upgrade;
    /** The body is small enough to be read whole before a connection is taken ({@link BodyBuffer}). */
    private final boolean buffersBody;
    private final HttpRequest originalRequest;
    /** What the filters want on the response, or null: written straight into its headers. */
    private final FilterContext responseFields;
    private final UpstreamCall call;

    private long requestBytes;
    private boolean requestComplete;
    private boolean responseStarted;
    private long responsePieces;
    private long responsePiecesAtLastIdle = -1;
    private boolean upstreamKeepAlive;
    private boolean closeClient;
    private int status;
    private boolean finished;
    /** The body read so far, while it is read before a connection is taken; null otherwise. */
    private BodyBuffer body;
    /** Ends a gRPC call at its {@code grpc-timeout}; null for any other request. */
    private ScheduledFuture<?> deadline;

    Exchange(ProxyFrontendHandler client, ProxyContext context, Route route, HttpRequest request,
            RequestTarget target, String upgrade, RequestRecord record, String clientIp, boolean hasBody,
            boolean clientKeepAlive, FilterContext responseFields) {
        this.originalRequest = request;
        this.responseFields = responseFields;
        this.client = client;
        this.context = context;
        this.route = route;
        this.record = record;
        this.requestId = record.requestId();
        this.method = request.method().name();
        this.hasBody = hasBody;
        this.clientKeepAlive = clientKeepAlive;
        this.clientHttp10 = request.protocolVersion().equals(HttpVersion.HTTP_1_0);
        this.headRequest = request.method().equals(HttpMethod.HEAD);
        this.upgrade = upgrade;
        // An upgrade request ends with its head: the client handler stopped decoding there.
        this.requestComplete = upgrade != null;
        // A gRPC call's client may wait for an answer before it sends more: its body always streams.
        this.buffersBody = hasBody && upgrade == null && !client.grpcCall()
                && buffersBody(request, context.limits().bufferBodyBelow());
        this.call = new UpstreamCall(this, context, route, client.eventLoop(), upstreamRequest(request, target, clientIp),
                hasBody, upgrade);
        record.upstream(call);
    }

    private HttpRequest upstreamRequest(HttpRequest request, RequestTarget target, String clientIp) {
        HttpHeaders headers = request.headers();
        boolean chunked = HttpUtil.isTransferEncodingChunked(request);
        // An absolute-form target's authority replaces Host (RFC 9112 section 3.2.2).
        String host = target.authority() != null ? target.authority() : headers.get(HttpHeaderNames.HOST);
        if (upgrade != null) {
            ProxyHeaders.removeHopByHopKeepingUpgrade(headers);
            headers.set(HttpHeaderNames.UPGRADE, upgrade);
        } else if (client.grpcCall()) {
            ProxyHeaders.removeHopByHopKeepingTrailers(headers);
        } else {
            ProxyHeaders.removeHopByHop(headers);
        }
        if (chunked) {
            headers.set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
        }
        if (host == null) {
            host = route.defaultHost();
            headers.set(HttpHeaderNames.HOST, host);
        } else if (target.authority() != null) {
            headers.set(HttpHeaderNames.HOST, host);
        }
        if (route.shedder() == null) {
            // Nobody here believes it; a route that sheds has its admission filter decide.
            headers.remove(Priority.HEADER);
        }
        ProxyHeaders.appendForwardedFor(headers, clientIp);
        context.via().append(headers, request.protocolVersion(), client.http2());
        headers.set(ProxyHeaders.X_FORWARDED_PROTO, client.secure() ? ProxyHeaders.HTTPS : ProxyHeaders.HTTP);
        headers.set(ProxyHeaders.X_FORWARDED_HOST, host);
        headers.set(ProxyHeaders.X_REQUEST_ID, requestId);
        String uri = target.withPath(route.upstreamPath(target.path()));
        return new DefaultHttpRequest(HttpVersion.HTTP_1_1, request.method(), uri, headers);
    }

    /**
     * Whether the body is read whole before a connection is taken: a declared length up to
     * {@code limit}, or a chunked body (until it grows past {@code limit}; then it streams).
     */
    private static boolean buffersBody(HttpRequest request, long limit) {
        if (limit <= 0) {
            return false;
        }
        long declared = HttpUtil.getContentLength(request, -1L);
        return declared >= 0 ? declared <= limit : HttpUtil.isTransferEncodingChunked(request);
    }

    void start() {
        if (client.grpcCall()) {
            startDeadline();
        }
        if (buffersBody) {
            body = new BodyBuffer(context.limits().bufferBodyBelow(), HttpUtil.getContentLength(originalRequest, -1L));
            client.readNext();
            return;
        }
        call.start();
    }

    /**
     * A gRPC call's {@code grpc-timeout} bounds the whole call from when its head arrived: the
     * response head (within the route's own response timeout too) and every message after it. The
     * header goes on to the upstream as sent, so a gRPC service keeps its own deadline as well.
     */
    private void startDeadline() {
        long timeout = Grpc.timeoutNanos(originalRequest.headers());
        if (timeout >= 0) {
            long left = Math.max(0, timeout - (System.nanoTime() - record.startNanos()));
            deadline = client.eventLoop().schedule(this::onDeadlineExceeded, left, TimeUnit.NANOSECONDS);
        }
    }

    /**
     * The call's deadline passed and its upstream stream is given up. Before the response head the
     * client is answered DEADLINE_EXCEEDED; after it, the call ends with trailers saying so.
     */
    private void onDeadlineExceeded() {
        deadline = null;
        if (finished) {
            return;
        }
        if (!responseStarted) {
            fail(HttpResponseStatus.GATEWAY_TIMEOUT, "deadline_exceeded");
            return;
        }
        markFinished();
        call.abandon(null);
        record.answeredByGateway("deadline_exceeded");
        record.grpcStatus(GrpcLocalResponses.DEADLINE_EXCEEDED);
        client.write(GrpcLocalResponses.trailers(GrpcLocalResponses.DEADLINE_EXCEEDED, "deadline_exceeded"));
        record.complete(status, false);
        client.exchangeDone(!requestComplete);
    }

    /** A connection is lent and the head written: the body follows, as far as it is known. */
    @Override
    public void upstreamReady() {
        if (body != null) {
            sendBuffered();
        } else if (requestComplete) {
            call.sendLast(LastHttpContent.EMPTY_LAST_CONTENT);
        } else {
            client.readNext();
        }
    }

    /** Sends what was read before the connection came: the whole body, or the start of one that goes on. */
    private void sendBuffered() {
        HttpContent buffered = body.take();
        body = null;
        if (requestComplete) {
            call.sendLast(buffered);
            return;
        }
        if (buffered != null) {
            call.send(buffered);
        }
        if (call.isWritable()) {
            client.readNext();
        }
    }

    void onRequestContent(HttpContent content) {
        if (RequestChecks.isBodyRefused(content, context.limits().headersWithUnderscores())) {
            // Broken framing: the upstream connection, holding part of the body, is closed, never completed.
            content.release();
            if (responseStarted) {
                abort();
            } else {
                fail(HttpResponseStatus.BAD_REQUEST, "bad_request");
            }
            return;
        }
        if (body != null) {
            buffer(content);
            return;
        }
        if (!call.connected()) {
            // The body is read only once a connection is lent: all that can arrive here is a body-less request's end.
            content.release();
            requestComplete = content instanceof LastHttpContent;
            return;
        }
        requestBytes += content.content().readableBytes();
        if (requestBytes > context.maxBodyBytes()) {
            content.release();
            if (responseStarted) {
                abort();
            } else {
                fail(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, "payload_too_large");
            }
            return;
        }
        if (content instanceof LastHttpContent) {
            requestComplete = true;
            call.sendLast(content);
        } else {
            call.send(content);
            if (call.isWritable()) {
                client.readNext();
            }
        }
    }

    /** A piece of a body read before a connection is taken; once it is whole (or too big to hold), one is. */
    private void buffer(HttpContent content) {
        requestBytes += content.content().readableBytes();
        if (requestBytes > context.maxBodyBytes()) {
            content.release();
            fail(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, "payload_too_large");
            return;
        }
        boolean fits = body.add(content);
        if (body.complete()) {
            requestComplete = true;
            call.start();
        } else if (fits) {
            client.readNext();
        } else {
            call.start(); // too big to hold: the rest streams once a connection is lent
        }
    }

    @Override
    public void onUpstreamWritabilityChanged(boolean writable) {
        if (writable && !requestComplete && !finished) {
            client.readNext();
        }
    }

    void onClientWritabilityChanged(boolean writable) {
        if (!finished) {
            call.setAutoRead(writable);
        }
    }

    @Override
    public void onResponseHead(HttpResponse response) {
        responseStarted = true;
        status = response.status().code();
        upstreamKeepAlive = HttpUtil.isKeepAlive(response);
        boolean framed = response.headers().contains(HttpHeaderNames.CONTENT_LENGTH);
        ProxyHeaders.removeHopByHop(response.headers());
        response.setProtocolVersion(HttpVersion.HTTP_1_1);
        closeClient = !clientKeepAlive || context.draining();
        if (!framed && mayHaveBody(response.status())) {
            if (clientHttp10) {
                closeClient = true;
            } else {
                response.headers().set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
            }
        }
        HttpHeaders headers = response.headers();
        if (client.grpcCall()) {
            recordGrpcStatus(headers); // a status without messages comes in the headers
        }
        addGatewayHeaders(headers);
        if (closeClient) {
            headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        } else if (clientHttp10) {
            headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        }
        client.write(response);
    }

    private void recordGrpcStatus(HttpHeaders headersOrTrailers) {
        int grpcStatus = Grpc.status(headersOrTrailers);
        if (grpcStatus >= 0) {
            record.grpcStatus(grpcStatus);
        }
    }

    private void addGatewayHeaders(HttpHeaders headers) {
        headers.set(ProxyHeaders.X_REQUEST_ID, requestId);
        if (responseFields != null) {
            responseFields.writeResponseHeaders(headers);
        }
    }

    /**
     * The upstream accepted the upgrade: the 101 is the request's response (counted and logged like
     * any other), then both connections carry the new protocol as a {@link Tunnel}.
     */
    @Override
    public void onSwitchProtocols(HttpResponse response, Channel tunnelled) {
        responseStarted = true;
        status = response.status().code();
        ProxyHeaders.removeHopByHopKeepingUpgrade(response.headers());
        response.setProtocolVersion(HttpVersion.HTTP_1_1);
        addGatewayHeaders(response.headers());
        markFinished();
        record.complete(status, true);
        client.switchProtocols(response, tunnelled, route.upgradedIdleTimeoutNanos());
    }

    private boolean mayHaveBody(HttpResponseStatus status) {
        return !headRequest && status.code() != 204 && status.code() != 304;
    }

    @Override
    public void onResponseContent(HttpContent content) {
        if (content instanceof LastHttpContent last && client.grpcCall()) {
            recordGrpcStatus(last.trailingHeaders());
        }
        client.write(content);
        responsePieces++;
        if (content instanceof LastHttpContent) {
            complete();
        } else if (!client.isWritable()) {
            call.setAutoRead(false);
        }
    }

    @Override
    public void onUpstreamReadComplete() {
        client.flush();
    }

    private void complete() {
        markFinished();
        call.complete(upstreamKeepAlive && requestComplete);
        record.complete(status, true);
        client.exchangeDone(closeClient || !requestComplete);
    }

    @Override
    public void onCallFailed(HttpResponseStatus failure, String code) {
        if (!finished) {
            fail(failure, code);
        }
    }

    @Override
    public void onResponseBroken() {
        if (!finished) {
            abort();
        }
    }

    /**
     * The client sent nothing for the idle timeout (only reads are watched: watching writes would
     * cost a promise per write). Before the response head, a body that stopped coming is the
     * client's doing (408) when the gateway was waiting for it, the upstream's (504) when the
     * gateway had stopped reading because the upstream took no more; once the request is whole the
     * response timeout decides. After the head, a response body that moved no piece since the last
     * such call is given up.
     */
    void onClientIdle() {
        if (!finished && !responseStarted && !requestComplete) {
            if (client.awaitingClient()) {
                context.count(SlowClient.BODY_IDLE);
                fail(HttpResponseStatus.REQUEST_TIMEOUT, "request_timeout");
            } else if (call.connected()) {
                call.abandon(AttemptOutcome.REQUEST_STALLED);
                fail(HttpResponseStatus.GATEWAY_TIMEOUT, "gateway_timeout");
            }
            return;
        }
        if (!finished && responseStarted) {
            if (responsePieces == responsePiecesAtLastIdle) {
                call.abandon(AttemptOutcome.RESPONSE_STALLED);
                abort();
            }
            responsePiecesAtLastIdle = responsePieces;
        }
    }

    /** The client sent its body slower than {@code limits.min-body-rate}. */
    void onBodyTooSlow() {
        if (finished) {
            return;
        }
        if (responseStarted) {
            abort();
        } else {
            fail(HttpResponseStatus.REQUEST_TIMEOUT, "request_timeout");
        }
    }

    /**
     * The client went away (closed, or reset its HTTP/2 stream). A request that reached its upstream
     * whole leaves its connection to an {@link UpstreamDrain}, which returns it to the pool once the
     * response is read; any other is closed.
     */
    void onClientClosed() {
        if (finished) {
            return;
        }
        markFinished();
        record.abandon();
        if (!call.connected() || !requestComplete || upgrade != null) {
            call.abandon(null);
        } else {
            call.drain(upstreamKeepAlive);
        }
    }

    private void markFinished() {
        finished = true;
        if (deadline != null) {
            deadline.cancel(false);
            deadline = null;
        }
        if (body != null) {
            body.release();
            body = null;
        }
    }

    private void fail(HttpResponseStatus failure, String code) {
        markFinished();
        call.abandon(null);
        client.exchangeFailed(failure, code, this, !requestComplete || !clientKeepAlive);
    }

    private void abort() {
        markFinished();
        call.abandon(null);
        record.complete(status, false);
        client.exchangeAborted();
    }

    /** The request as the client sent it; its headers are the ones forwarded, rewritten. */
    HttpRequest originalRequest() {
        return originalRequest;
    }

    /** What the request did so far, read once when it ends. */
    RequestRecord record() {
        return record;
    }
}
