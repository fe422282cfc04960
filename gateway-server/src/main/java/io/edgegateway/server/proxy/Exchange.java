package io.edgegateway.server.proxy;

import io.edgegateway.filters.hedge.HedgePolicy;
import io.edgegateway.filters.shed.LoadShedder;
import io.edgegateway.server.accesslog.AccessLog;
import io.edgegateway.server.accesslog.AccessLogEntry;
import io.edgegateway.server.routing.Route;
import io.edgegateway.server.routing.UpgradeProtocols;
import io.edgegateway.server.upstream.Borrower;
import io.edgegateway.server.upstream.PoolExhaustedException;
import io.edgegateway.server.upstream.PooledConnection;
import io.edgegateway.server.upstream.UpstreamAddress;
import io.edgegateway.server.upstream.UpstreamPool;
import io.netty.channel.Channel;
import io.netty.channel.ConnectTimeoutException;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One request's trip through the proxy: borrow an upstream connection, stream the request up and
 * the response down, give the connection back. On a route with {@code hedge}, a body-less request
 * whose response head is late gets a copy sent to another instance ({@link HedgeAttempt}); the
 * first head to arrive wins. An upgrade request to one of the route's {@code upgrades} answered
 * 101 for one of them ends the exchange there: its two connections become a {@link Tunnel}; any other
 * 101 is an invalid response (502). A small body is read whole before a connection is taken
 * ({@link BodyBuffer}); a client that goes away after its request was sent whole leaves the
 * connection to an {@link UpstreamDrain}. Everything happens on the client's event loop.
 */
final class Exchange implements UpstreamListener, Borrower {

    /** Attempts on connections that turned out to be closed by the upstream while idle. */
    private static final int MAX_ATTEMPTS = 3;

    private final ProxyFrontendHandler client;
    private final ProxyContext context;
    private final Route route;
    private final HttpRequest upstreamRequest;
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
    private final long startNanos;
    private final HttpRequest originalRequest;
    private final HttpHeaders extraResponseHeaders;

    private UpstreamPool pool;
    private Future<PooledConnection> acquiring;
    private Channel upstream;
    private ProxyBackendHandler backend;
    private boolean reused;
    private int attempts;
    private long sentNanos;
    private long requestBytes;
    private boolean requestComplete;
    private boolean responseStarted;
    private boolean skippingInformational;
    private long responsePieces;
    private long responsePiecesAtLastIdle = -1;
    private boolean upstreamKeepAlive;
    private boolean closeClient;
    private int status;
    private boolean finished;
    private ScheduledFuture<?> hedgeTimer;
    private HedgeAttempt hedge;
    /** The body read so far, while it is read before a connection is taken; null otherwise. */
    private BodyBuffer body;
    /** The shedder that admitted this request, released once when the exchange ends; null when none. */
    private LoadShedder admittedBy;
    private boolean hedged;
    private String identity;
    private String limiter;

    Exchange(ProxyFrontendHandler client, ProxyContext context, Route route, HttpRequest request,
            RequestTarget target, String upgrade, String requestId, String clientIp, boolean hasBody,
            boolean clientKeepAlive, long startNanos, HttpHeaders extraResponseHeaders) {
        this.originalRequest = request;
        this.extraResponseHeaders = extraResponseHeaders;
        this.client = client;
        this.context = context;
        this.route = route;
        this.requestId = requestId;
        this.method = request.method().name();
        this.hasBody = hasBody;
        this.clientKeepAlive = clientKeepAlive;
        this.clientHttp10 = request.protocolVersion().equals(HttpVersion.HTTP_1_0);
        this.headRequest = request.method().equals(HttpMethod.HEAD);
        this.upgrade = upgrade;
        // An upgrade request ends with its head: the client handler stopped decoding there.
        this.requestComplete = upgrade != null;
        this.buffersBody = hasBody && upgrade == null && buffersBody(request, context.limits().bufferBodyBelow());
        this.startNanos = startNanos;
        this.upstreamRequest = upstreamRequest(request, target, clientIp);
    }

    private HttpRequest upstreamRequest(HttpRequest request, RequestTarget target, String clientIp) {
        HttpHeaders headers = request.headers();
        boolean chunked = HttpUtil.isTransferEncodingChunked(request);
        // An absolute-form target's authority replaces Host (RFC 9112 section 3.2.2).
        String host = target.authority() != null ? target.authority() : headers.get(HttpHeaderNames.HOST);
        if (upgrade != null) {
            ProxyHeaders.removeHopByHopKeepingUpgrade(headers);
            headers.set(HttpHeaderNames.UPGRADE, upgrade);
        } else {
            ProxyHeaders.removeHopByHop(headers);
        }
        if (chunked) {
            headers.set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
        }
        if (host == null) {
            host = route.upstreams().get(0).label();
            headers.set(HttpHeaderNames.HOST, host);
        } else if (target.authority() != null) {
            headers.set(HttpHeaderNames.HOST, host);
        }
        ProxyHeaders.appendForwardedFor(headers, clientIp);
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
        if (buffersBody) {
            body = new BodyBuffer(context.limits().bufferBodyBelow(), HttpUtil.getContentLength(originalRequest, -1L));
            client.readNext();
            return;
        }
        chooseUpstream();
    }

    private void chooseUpstream() {
        EventLoop loop = client.eventLoop();
        List<UpstreamAddress> upstreams = route.upstreams();
        UpstreamAddress address = upstreams.size() == 1 ? upstreams.get(0)
                : route.balancer().choose(upstreams, a -> context.pools().pool(loop, a).inFlight());
        pool = context.pools().pool(loop, address);
        acquire();
    }

    private void acquire() {
        attempts++;
        acquiring = pool.lend(route.connectTimeoutMillis(), this);
    }

    /** Over, or a hedge answered while a connection was on its way: the pool keeps it. */
    @Override
    public boolean gaveUp() {
        acquiring = null;
        return finished || responseStarted;
    }

    @Override
    public void lent(Channel channel, boolean wasReused) {
        acquiring = null;
        send(channel, wasReused);
    }

    @Override
    public void notLent(Throwable cause) {
        acquiring = null;
        if (cause instanceof PoolExhaustedException) {
            countUpstreamError("pool_exhausted");
            fail(HttpResponseStatus.SERVICE_UNAVAILABLE, "upstream_busy");
        } else if (cause instanceof ConnectTimeoutException) {
            countUpstreamError("connect_timeout");
            fail(HttpResponseStatus.GATEWAY_TIMEOUT, "gateway_timeout");
        } else {
            countUpstreamError("connect_failed");
            fail(HttpResponseStatus.BAD_GATEWAY, "bad_gateway");
        }
    }

    /** Sends the request head on {@code channel}, then the body as the client provides it. */
    private void send(Channel channel, boolean wasReused) {
        upstream = channel;
        reused = wasReused;
        backend = upstream.pipeline().get(ProxyBackendHandler.class);
        backend.bind(this);
        sentNanos = System.nanoTime();
        upstream.write(upstreamRequest, upstream.voidPromise());
        if (attempts == 1 && route.hedge() != null && route.upstreams().size() > 1 && upgrade == null) {
            long delay = route.hedge().delayNanos(method, hasBody);
            if (delay != HedgePolicy.NO_HEDGE) {
                hedgeTimer = channel.eventLoop().schedule(this::hedgeDue, delay, TimeUnit.NANOSECONDS);
            }
        }
        if (body != null) {
            sendBuffered();
        } else if (requestComplete) {
            writeLast(LastHttpContent.EMPTY_LAST_CONTENT);
        } else {
            client.readNext();
        }
    }

    /** Sends what was read before the connection came: the whole body, or the start of one that goes on. */
    private void sendBuffered() {
        HttpContent buffered = body.take();
        body = null;
        if (requestComplete) {
            writeLast(buffered);
            return;
        }
        if (buffered != null) {
            upstream.writeAndFlush(buffered, upstream.voidPromise());
        }
        if (upstream.isWritable()) {
            client.readNext();
        }
    }

    /**
     * Writes the request's last piece. The response timeout starts once it is written: a body may
     * take long to go out, and while it does the client's body rate and the idle timeout bound it.
     */
    private void writeLast(HttpContent last) {
        requestComplete = true;
        if (hasBody) {
            upstream.writeAndFlush(last, backend.armResponseTimeoutOnceWritten(route.responseTimeoutNanos()));
        } else {
            upstream.writeAndFlush(last, upstream.voidPromise());
            backend.armResponseTimeout(route.responseTimeoutNanos());
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
        if (upstream == null) {
            // Only a body-less request is retried, so all that can arrive here is its empty end.
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
            writeLast(content);
        } else {
            upstream.writeAndFlush(content, upstream.voidPromise());
            if (upstream.isWritable()) {
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
            chooseUpstream();
        } else if (fits) {
            client.readNext();
        } else {
            chooseUpstream(); // too big to hold: the rest streams once a connection is lent
        }
    }

    @Override
    public void onUpstreamWritabilityChanged(boolean writable) {
        if (writable && !requestComplete && !finished) {
            client.readNext();
        }
    }

    void onClientWritabilityChanged(boolean writable) {
        if (upstream != null && !finished) {
            upstream.config().setAutoRead(writable);
        }
    }

    @Override
    public void onResponseHead(HttpResponse response) {
        if (response.status().code() == HttpResponseStatus.SWITCHING_PROTOCOLS.code()) {
            if (upgrade != null && UpgradeProtocols.chosenAmong(response.headers().get(HttpHeaderNames.UPGRADE), upgrade)) {
                switchProtocols(response);
            } else {
                // A switch the request did not ask for, or to a protocol it did not offer: never a tunnel.
                upstream.close();
                onUpstreamFailure(false);
            }
            return;
        }
        if (response.status().codeClass() == HttpStatusClass.INFORMATIONAL) {
            skippingInformational = true;
            return;
        }
        stopHedging();
        backend.disarmResponseTimeout();
        responseStarted = true;
        status = response.status().code();
        route.metrics().recordUpstream(pool.address().label(), System.nanoTime() - sentNanos);
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
        addGatewayHeaders(headers);
        if (closeClient) {
            headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        } else if (clientHttp10) {
            headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        }
        client.write(response);
    }

    private void addGatewayHeaders(HttpHeaders headers) {
        headers.set(ProxyHeaders.X_REQUEST_ID, requestId);
        if (extraResponseHeaders != null) {
            headers.setAll(extraResponseHeaders);
        }
    }

    /**
     * The upstream accepted the upgrade: the 101 is the request's response (counted and logged like
     * any other), then both connections carry the new protocol as a {@link Tunnel}. The upstream
     * connection leaves its pool for good.
     */
    private void switchProtocols(HttpResponse response) {
        backend.disarmResponseTimeout();
        responseStarted = true;
        status = response.status().code();
        route.metrics().recordUpstream(pool.address().label(), System.nanoTime() - sentNanos);
        ProxyHeaders.removeHopByHopKeepingUpgrade(response.headers());
        response.setProtocolVersion(HttpVersion.HTTP_1_1);
        addGatewayHeaders(response.headers());
        markFinished();
        recordDone();
        Channel tunnelled = upstream;
        backend.unbind();
        pool.detach(tunnelled);
        upstream = null;
        backend = null;
        client.switchProtocols(response, tunnelled, route.upgradedIdleTimeoutNanos());
    }

    private boolean mayHaveBody(HttpResponseStatus status) {
        return !headRequest && status.code() != 204 && status.code() != 304;
    }

    @Override
    public void onResponseContent(HttpContent content) {
        if (skippingInformational) {
            content.release();
            skippingInformational = !(content instanceof LastHttpContent);
            return;
        }
        client.write(content);
        responsePieces++;
        if (content instanceof LastHttpContent) {
            complete();
        } else if (!client.isWritable()) {
            upstream.config().setAutoRead(false);
        }
    }

    @Override
    public void onUpstreamReadComplete() {
        client.flush();
    }

    private void complete() {
        markFinished();
        releaseUpstream(upstreamKeepAlive && requestComplete);
        recordDone();
        client.exchangeDone(closeClient || !requestComplete);
    }

    /** The response went out whole (or, for a 101, its head did): counted, timed and logged. */
    private void recordDone() {
        long duration = System.nanoTime() - startNanos;
        route.metrics().record(method, status, duration);
        route.latencyWindow().record(duration);
        logAccess(duration);
    }

    @Override
    public void onUpstreamFailure(boolean connectionLost) {
        if (finished) {
            return;
        }
        if (responseStarted) {
            countUpstreamError("reset_during_response");
            abort();
        } else if (connectionLost && reused && !hasBody && attempts < MAX_ATTEMPTS && isIdempotent()) {
            releaseUpstream(false);
            acquire();
        } else if (hedge != null) {
            // The copy may still answer: wait for it rather than fail.
            countUpstreamError(connectionLost ? "reset" : "invalid_response");
            releaseUpstream(false);
        } else {
            countUpstreamError(connectionLost ? "reset" : "invalid_response");
            fail(HttpResponseStatus.BAD_GATEWAY, "bad_gateway");
        }
    }

    @Override
    public void onResponseTimeout() {
        if (!finished && !responseStarted) {
            countUpstreamError("response_timeout");
            fail(HttpResponseStatus.GATEWAY_TIMEOUT, "gateway_timeout");
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
            } else if (upstream != null) {
                countUpstreamError("request_stalled");
                fail(HttpResponseStatus.GATEWAY_TIMEOUT, "gateway_timeout");
            }
            return;
        }
        if (!finished && responseStarted) {
            if (responsePieces == responsePiecesAtLastIdle) {
                countUpstreamError("response_stalled");
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
        if (upstream == null || !requestComplete || upgrade != null) {
            cancelUpstream();
            return;
        }
        stopHedging();
        Channel drained = upstream;
        ProxyBackendHandler drainedBackend = backend;
        backend.unbind();
        upstream = null;
        backend = null;
        UpstreamDrain.start(context, pool, drained, drainedBackend, responseStarted, upstreamKeepAlive,
                skippingInformational);
    }

    /** Sends the copy, if the first attempt is still silent, the request is whole and the budget allows. */
    private void hedgeDue() {
        hedgeTimer = null;
        if (finished || responseStarted || hedge != null || !requestComplete) {
            return;
        }
        UpstreamAddress other = otherUpstream();
        if (other == null || !route.hedge().tryHedge()) {
            return;
        }
        hedge = new HedgeAttempt(this, context.pools().pool(client.eventLoop(), other), upstreamRequest,
                route.connectTimeoutMillis(), route.responseTimeoutNanos());
        route.metrics().hedgeSent();
        hedged = true;
        hedge.start();
    }

    /** An instance other than the first attempt's, chosen by the route's balancer. */
    private UpstreamAddress otherUpstream() {
        List<UpstreamAddress> upstreams = route.upstreams();
        UpstreamAddress first = pool.address();
        if (upstreams.size() == 2) {
            return upstreams.get(0).equals(first) ? upstreams.get(1) : upstreams.get(0);
        }
        List<UpstreamAddress> others = upstreams.stream().filter(address -> !address.equals(first)).toList();
        return others.isEmpty() ? null
                : route.balancer().choose(others, a -> context.pools().pool(client.eventLoop(), a).inFlight());
    }

    /** The copy's response head came first: its connection carries the rest, the first attempt is dropped. */
    void hedgeAnswered(HedgeAttempt answered, HttpResponse response) {
        if (answered != hedge || finished || responseStarted) {
            answered.cancel();
            return;
        }
        hedge = null;
        cancelHedgeTimer();
        if (acquiring != null) {
            acquiring.cancel(false);
            acquiring = null;
        }
        if (upstream != null) {
            // Half-read at best: closed, never back in the pool.
            releaseUpstream(false);
        }
        pool = answered.pool();
        upstream = answered.channel();
        backend = answered.backend();
        sentNanos = answered.sentNanos();
        reused = false;
        answered.handOver();
        backend.bind(this);
        route.metrics().hedgeWon();
        onResponseHead(response);
    }

    /** The copy failed; if the first attempt is gone too, so is the request. */
    void hedgeFailed(HedgeAttempt failed) {
        if (failed != hedge) {
            return;
        }
        hedge = null;
        if (!finished && upstream == null && acquiring == null) {
            fail(HttpResponseStatus.BAD_GATEWAY, "bad_gateway");
        }
    }

    private void stopHedging() {
        cancelHedgeTimer();
        if (hedge != null) {
            hedge.cancel();
            hedge = null;
        }
    }

    private void cancelHedgeTimer() {
        if (hedgeTimer != null) {
            hedgeTimer.cancel(false);
            hedgeTimer = null;
        }
    }

    /** What the filters found, for the access log: who is calling and the limiter's decision (either may be null). */
    void filtered(String callerIdentity, String limiterDecision) {
        this.identity = callerIdentity;
        this.limiter = limiterDecision;
    }

    String identity() {
        return identity;
    }

    String limiter() {
        return limiter;
    }

    private void logAccess(long duration) {
        AccessLog log = context.accessLog();
        if (log.enabled()) {
            log.log(new AccessLogEntry(System.currentTimeMillis() - duration / 1_000_000, requestId, route.id(), method,
                    originalRequest.uri(), status, identity, pool.address().label(), attempts + (hedged ? 1 : 0), hedged,
                    limiter, duration));
        }
    }

    /** Releases {@code shedder}'s admission once when the exchange ends, however it ends. */
    void admittedBy(LoadShedder shedder) {
        admittedBy = shedder;
    }

    private void markFinished() {
        finished = true;
        if (body != null) {
            body.release();
            body = null;
        }
        if (admittedBy != null) {
            LoadShedder shedder = admittedBy;
            admittedBy = null;
            shedder.release();
        }
    }

    private void fail(HttpResponseStatus failure, String code) {
        markFinished();
        cancelUpstream();
        client.exchangeFailed(failure, code, this, !requestComplete || !clientKeepAlive);
    }

    private void abort() {
        markFinished();
        cancelUpstream();
        long duration = System.nanoTime() - startNanos;
        route.metrics().record(method, status, duration);
        logAccess(duration);
        client.exchangeAborted();
    }

    private void cancelUpstream() {
        stopHedging();
        if (acquiring != null) {
            acquiring.cancel(false);
            acquiring = null;
        }
        if (upstream != null) {
            releaseUpstream(false);
        }
    }

    private void releaseUpstream(boolean reusable) {
        backend.unbind();
        upstream.config().setAutoRead(true);
        pool.release(upstream, reusable);
        upstream = null;
        backend = null;
    }

    private boolean isIdempotent() {
        return switch (method) {
            case "GET", "HEAD", "OPTIONS", "PUT", "DELETE", "TRACE" -> true;
            default -> false;
        };
    }

    private void countUpstreamError(String type) {
        countUpstreamError(pool, type);
    }

    void countUpstreamError(UpstreamPool failed, String type) {
        route.metrics().countUpstreamError(failed.address().label(), type);
    }

    /** The request as the client sent it; its headers are the ones forwarded, rewritten. */
    HttpRequest originalRequest() {
        return originalRequest;
    }

    String requestId() {
        return requestId;
    }

    Route route() {
        return route;
    }

    String method() {
        return method;
    }

    long startNanos() {
        return startNanos;
    }
}
