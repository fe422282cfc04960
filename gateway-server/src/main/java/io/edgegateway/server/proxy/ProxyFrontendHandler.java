package io.edgegateway.server.proxy;

import io.edgegateway.server.routing.Route;
import io.edgegateway.server.routing.RouteTable;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.flow.FlowControlHandler;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;

/**
 * The client side of the proxy: one per client connection.
 *
 * <p>Auto-read is off and a {@code FlowControlHandler} sits in front, so each {@link #readNext()}
 * yields exactly one HTTP object. That serves both backpressure (the next body chunk is read only
 * when the upstream can take it) and pipelining (the next request is read only when the previous
 * response is done).
 */
public final class ProxyFrontendHandler extends ChannelInboundHandlerAdapter {

    static final String NO_ROUTE = "none";
    /** The method label of a request whose head never arrived whole. */
    private static final String UNKNOWN_METHOD = "unknown";
    /** The largest body an overload refusal reads and drops to keep the connection. */
    private static final long MAX_SKIPPED_BODY = 64 * 1024;

    private final ProxyContext context;
    /** Whether the client connected over TLS: forwarded as X-Forwarded-Proto. */
    private final boolean secure;
    private ChannelHandlerContext ctx;
    /** How far behind this connection's event loop is; null when loops are not watched. */
    private EventLoopLag.Probe loopLag;
    private String clientIp;
    private Exchange exchange;
    private boolean readPending;
    /**
     * A body-less request is with its filters (a Redis decision on its way, say): see
     * {@link #channelReadComplete}. Cleared once the filters have answered or forwarded it.
     */
    private boolean filtering;
    /** This request already kept the socket armed once (see {@link #channelReadComplete}). */
    private boolean armedWhileFiltering;
    private boolean discardingBody;
    /** Once the refused request has been read to its end, the connection is parked (see {@link EventLoopLag}). */
    private boolean parkingAfterRefusal;
    private long parkedAt;
    /** An overload refusal was written and waits for the flush at the end of this read. */
    private boolean refusalUnflushed;
    private boolean started;
    private BodyRateWatch bodyRate;
    /** The request is a gRPC call (on an HTTP/2 stream): the gateway's own answers are gRPC statuses. */
    private boolean grpcCall;

    public ProxyFrontendHandler(ProxyContext context, boolean secure) {
        this.context = context;
        this.secure = secure;
    }

    /** Added once the protocol is known (after TLS or the HTTP/2 check), the channel is already active. */
    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        this.bodyRate = BodyRateWatch.of(context.limits().minBodyRate(), ctx, this::bodyTooSlow);
        this.loopLag = context.loopLag().probe(ctx.channel().eventLoop());
        if (ctx.channel().isActive()) {
            start();
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        start();
        ctx.fireChannelActive();
    }

    private void start() {
        if (started) {
            return;
        }
        started = true;
        clientIp = ctx.channel().remoteAddress() instanceof InetSocketAddress address
                ? address.getAddress().getHostAddress() : "unknown";
        readNext();
    }

    boolean secure() {
        return secure;
    }

    /** Whether this is an HTTP/2 stream (its requests came over HTTP/2, whatever their objects say). */
    boolean http2() {
        return ctx.channel() instanceof Http2StreamChannel;
    }

    /** Whether the current request is a gRPC call. */
    boolean grpcCall() {
        return grpcCall;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        readPending = false;
        if (msg instanceof HttpRequest request) {
            // A head the decoder refused (a Content-Length of "x") is answered without reading its length.
            if (request.decoderResult().isSuccess()) {
                bodyRate.requestHead(request);
            }
            onRequestHead(request);
        } else if (msg instanceof HttpContent content) {
            bodyRate.received(content);
            onRequestContent(content);
        } else {
            ReferenceCountUtil.release(msg);
        }
    }

    private void onRequestHead(HttpRequest request) {
        long startNanos = System.nanoTime();
        String method = request.method().name();
        if (request.decoderResult().isFailure()) {
            ReferenceCountUtil.release(request);
            Throwable cause = request.decoderResult().cause();
            answer(statusForDecoderFailure(cause), errorCodeFor(cause),
                    new RequestRecord(context, null, method, request.uri(), startNanos), true);
            return;
        }
        grpcCall = ctx.channel() instanceof Http2StreamChannel && Grpc.isCall(request.headers());
        if (loopLag != null && context.loopLag().refuses(loopLag, startNanos)) {
            refuseForOverload(request, method, startNanos);
            return;
        }
        if (refusalUnflushed) {
            // A pipelined request refused just before this one: its answer goes out first.
            refusalUnflushed = false;
            ctx.flush();
        }
        String requestId = request.headers().get(ProxyHeaders.X_REQUEST_ID);
        if (requestId == null || requestId.isEmpty()) {
            requestId = RequestIds.next();
        }
        RequestRecord record = new RequestRecord(context, requestId, method, request.uri(), startNanos);
        record.traceFrom(request.headers());
        boolean hasBody = HttpUtil.isTransferEncodingChunked(request) || HttpUtil.getContentLength(request, 0L) > 0;
        boolean keepAlive = HttpUtil.isKeepAlive(request) && !context.draining();
        RouteTable routes = context.routes();
        RequestChecks.Refusal refusal = RequestChecks.refusal(request, context.limits().headersWithUnderscores());
        RequestTarget target = refusal == null ? RequestTarget.parse(request.uri(), routes.normalizer()) : null;
        if (target == null) {
            refusal = refusal == null ? RequestChecks.Refusal.BAD_REQUEST : refusal;
            answer(refusal.status, refusal.code, record, true);
            return;
        }
        if (context.via().hasPassed(request.headers())) {
            answer(Via.LOOP_DETECTED, "loop_detected", record, hasBody || !keepAlive);
            return;
        }
        // An absolute-form target's authority stands for Host (RFC 9112 section 3.2.2).
        String host = target.authority() != null ? target.authority() : request.headers().get(HttpHeaderNames.HOST);
        Route route = routes.match(host, request.method(), target.path());
        if (route == null) {
            answer(HttpResponseStatus.NOT_FOUND, "no_route", record, hasBody || !keepAlive);
            return;
        }
        record.routed(route);
        // Only the route's own upgrades tunnel; any other Upgrade is dropped and the request is an ordinary one.
        String upgrade = Tunnel.isRequested(request, hasBody)
                ? route.upgrades().permitted(request.headers().get(HttpHeaderNames.UPGRADE)) : null;
        if (upgrade != null) {
            // What follows the head may already be the new protocol: left undecoded, and so any
            // answer but a 101 closes the connection.
            Tunnel.stopDecoding(ctx.pipeline());
            keepAlive = false;
        }
        if (HttpUtil.getContentLength(request, 0L) > context.maxBodyBytes()) {
            answer(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, "payload_too_large", record, true);
            return;
        }
        if (hasUnsupportedExpectation(request)) {
            answer(HttpResponseStatus.EXPECTATION_FAILED, "expectation_failed", record, true);
            return;
        }
        // Not for a body (read only once a connection is lent), nor for an upgrade (what follows may be the new protocol).
        filtering = !hasBody && upgrade == null && !(ctx.channel() instanceof Http2StreamChannel);
        armedWhileFiltering = false;
        new RoutedRequest(this, context, route, request, target, upgrade, record, clientIp, hasBody, keepAlive).proceed();
    }

    /**
     * The gateway itself cannot keep up: the request is refused before any routing or filter work,
     * and with as little work of its own as it can be (no request id, record, trace or access log
     * line; see {@link OverloadRefusal} and {@link EventLoopLag}). Over HTTP/1.1 the answer is
     * flushed at the end of the read, so pipelined refusals read together go out in one write. A
     * request with a body keeps the connection when its length is known, at most
     * {@link #MAX_SKIPPED_BODY}, and it awaits no 100 (the body is read and dropped); otherwise the
     * connection closes after the answer, rather than a loop that is behind reading a large body. A
     * kept HTTP/1.1 connection is parked once the request has been read to its end: nothing more is
     * read from it until its loop is on time again (see {@link EventLoopLag}).
     */
    private void refuseForOverload(HttpRequest request, String method, long startNanos) {
        filtering = false;
        context.unrouted().shedForGatewayOverload();
        loopLag.refused();
        boolean hasBody = HttpUtil.isTransferEncodingChunked(request) || HttpUtil.getContentLength(request, 0L) > 0;
        boolean close = !HttpUtil.isKeepAlive(request) || context.draining()
                || hasBody && (HttpUtil.isTransferEncodingChunked(request) || HttpUtil.is100ContinueExpected(request)
                        || HttpUtil.getContentLength(request, 0L) > MAX_SKIPPED_BODY);
        String requestId = request.headers().get(ProxyHeaders.X_REQUEST_ID);
        FullHttpResponse response = grpcCall
                ? GrpcLocalResponses.error(HttpResponseStatus.SERVICE_UNAVAILABLE, "overloaded")
                : OverloadRefusal.response(close, requestId == null || requestId.isEmpty() ? null : requestId);
        ReferenceCountUtil.release(request);
        context.unrouted().record(method, HttpResponseStatus.SERVICE_UNAVAILABLE.code(), System.nanoTime() - startNanos);
        if (grpcCall) {
            context.unrouted().recordGrpc(GrpcLocalResponses.statusFor(HttpResponseStatus.SERVICE_UNAVAILABLE.code()));
        }
        if (close) {
            refusalUnflushed = false;
            bodyRate.stop();
            ctx.writeAndFlush(response).addListener(LingeringClose.AFTER_RESPONSE);
        } else {
            if (ctx.channel() instanceof Http2StreamChannel) {
                ctx.writeAndFlush(response, ctx.voidPromise());
            } else {
                ctx.write(response, ctx.voidPromise());
                refusalUnflushed = true;
                parkingAfterRefusal = context.loopLag().watching();
            }
            // Up to the end of the request (for a request without a body, the empty last part).
            discardingBody = true;
            readNext();
        }
    }

    /** The filters let the request through: answer an {@code Expect: 100-continue}, then forward. */
    void startExchange(Exchange forwarded) {
        filtering = false;
        if (HttpUtil.is100ContinueExpected(forwarded.originalRequest())) {
            forwarded.originalRequest().headers().remove(HttpHeaderNames.EXPECT);
            ctx.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE),
                    ctx.voidPromise());
        }
        exchange = forwarded;
        exchange.start();
    }

    boolean isActive() {
        return ctx.channel().isActive();
    }

    private void onRequestContent(HttpContent content) {
        if (exchange != null) {
            exchange.onRequestContent(content);
            return;
        }
        boolean framingBroken = content.decoderResult().isFailure();
        content.release();
        if (framingBroken) {
            // Where this request ends is unknown, so is where the next one starts: nothing more is
            // decoded, but the answer already written is not lost to a reset.
            bodyRate.stop();
            ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(LingeringClose.AFTER_RESPONSE);
        } else if (discardingBody && content instanceof LastHttpContent) {
            discardingBody = false;
            if (parkingAfterRefusal) {
                parkingAfterRefusal = false;
                loopLag.park(this, System.nanoTime());
            } else {
                readNext();
            }
        }
    }

    /** When this connection was last parked, by System.nanoTime. */
    long parkedAt() {
        return parkedAt;
    }

    void parkedAt(long now) {
        parkedAt = now;
    }

    /** The loop this connection was parked on is on time again, or it was parked long enough: the client is read again. */
    void unpark() {
        if (ctx.channel().isActive()) {
            readNext();
        }
    }

    /**
     * A read cycle ended. The flow-control handler counts our read as served even when the bytes it
     * brought did not make a whole HTTP object (a head split across packets), so ask again.
     *
     * <p>While a body-less request waits for its filters, the socket stays armed for reading, as it
     * does while a forwarded request is upstream: the read is asked of the channel beneath the
     * flow-control handler, which keeps what arrives (a pipelined request) until it is asked for.
     * Otherwise the socket would be disarmed at the end of this cycle and armed again after the
     * response, two {@code epoll_ctl} calls per limited request. Once per request, so a pipelining
     * client is read at most one cycle ahead.
     */
    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (refusalUnflushed) {
            refusalUnflushed = false;
            ctx.flush();
        }
        if (readPending) {
            ctx.read();
        } else if (filtering && !armedWhileFiltering) {
            armedWhileFiltering = true;
            ChannelHandlerContext flowControl = ctx.pipeline().context(FlowControlHandler.class);
            if (flowControl != null) {
                flowControl.read();
            }
        }
        ctx.fireChannelReadComplete();
    }

    /** Asks for the next HTTP object from the client, unless one is already on its way. */
    void readNext() {
        if (!readPending) {
            readPending = true;
            bodyRate.reading();
            ctx.read();
        }
    }

    /** A read is out: the gateway waits for the client. */
    boolean awaitingClient() {
        return readPending;
    }

    /** The body of the current request came slower than {@code limits.min-body-rate}. */
    private void bodyTooSlow() {
        context.count(SlowClient.BODY_RATE);
        if (exchange != null) {
            exchange.onBodyTooSlow();
        } else {
            ctx.close(); // a body discarded after the gateway's own answer
        }
    }

    /** The request head did not arrive whole within {@code limits.header-timeout}: 408 if nothing is being answered. */
    private void headTimedOut() {
        context.count(SlowClient.HEADER_TIMEOUT);
        if (exchange != null) {
            ctx.close();
        } else {
            answer(HttpResponseStatus.REQUEST_TIMEOUT, "request_timeout",
                    new RequestRecord(context, null, UNKNOWN_METHOD, null, System.nanoTime()), true);
        }
    }

    void write(HttpObject msg) {
        ctx.write(msg, ctx.voidPromise());
    }

    void flush() {
        ctx.flush();
    }

    boolean isWritable() {
        return ctx.channel().isWritable();
    }

    io.netty.channel.EventLoop eventLoop() {
        return ctx.channel().eventLoop();
    }

    /** The exchange finished with its whole response written. */
    void exchangeDone(boolean close) {
        exchange = null;
        if (close) {
            ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        } else {
            ctx.flush();
            readNext();
        }
    }

    /**
     * The upstream switched protocols: the 101 goes out through the HTTP encoder, then this
     * connection and {@code upstream} become a {@link Tunnel} and this handler leaves the pipeline.
     */
    void switchProtocols(HttpResponse response, Channel upstream, long idleTimeoutNanos) {
        exchange = null;
        ctx.write(response, ctx.voidPromise());
        Channel client = ctx.channel();
        Tunnel.open(client, upstream, idleTimeoutNanos);
        if (context.draining()) {
            // Draining began while the upgrade was on its way: this tunnel closes as the others did.
            client.pipeline().fireUserEventTriggered(DrainEvent.INSTANCE);
        }
    }

    /** The exchange failed before any response byte: answer it here. */
    void exchangeFailed(HttpResponseStatus status, String code, Exchange failed, boolean close) {
        exchange = null;
        answer(status, code, failed.record(), close, null);
    }

    /** The exchange failed after response bytes reached the client: only closing can tell it. */
    void exchangeAborted() {
        exchange = null;
        ctx.close();
    }

    private void answer(HttpResponseStatus status, String code, RequestRecord record, boolean close) {
        answer(status, code, record, close, null);
    }

    /** Answers the current request here; {@code extraHeaders} (from filters) may be null. */
    void answer(HttpResponseStatus status, String code, RequestRecord record, boolean close, HttpHeaders extraHeaders) {
        filtering = false;
        FullHttpResponse response = grpcCall ? GrpcLocalResponses.error(status, code) : LocalResponses.error(status, code);
        if (extraHeaders != null) {
            response.headers().add(extraHeaders);
        }
        if (record.requestId() != null) {
            response.headers().set(ProxyHeaders.X_REQUEST_ID, record.requestId());
        }
        close |= context.draining();
        if (close) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
        record.answeredByGateway(code);
        if (grpcCall) {
            record.grpcStatus(GrpcLocalResponses.statusFor(status.code()));
        }
        record.complete(status.code(), false);
        if (close) {
            // The client may still be sending what this answers: linger rather than reset it.
            bodyRate.stop();
            ctx.writeAndFlush(response).addListener(LingeringClose.AFTER_RESPONSE);
        } else {
            ctx.writeAndFlush(response, ctx.voidPromise());
            discardingBody = true;
            readNext();
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (exchange != null) {
            exchange.onClientWritabilityChanged(ctx.channel().isWritable());
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        bodyRate.stop();
        if (exchange != null) {
            Exchange gone = exchange;
            exchange = null;
            gone.onClientClosed();
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event == RequestHeadDeadline.EXPIRED) {
            headTimedOut();
        } else if ((event instanceof IdleStateEvent || event == DrainEvent.INSTANCE) && exchange == null) {
            ctx.close();
        } else if (event instanceof IdleStateEvent) {
            exchange.onClientIdle();
        }
        ReferenceCountUtil.release(event);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }

    private static boolean hasUnsupportedExpectation(HttpRequest request) {
        String expect = request.headers().get(HttpHeaderNames.EXPECT);
        return expect != null && !HttpHeaderValues.CONTINUE.contentEqualsIgnoreCase(expect.trim());
    }

    private static HttpResponseStatus statusForDecoderFailure(Throwable cause) {
        if (cause instanceof TooLongHttpHeaderException) {
            return HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE;
        }
        if (cause instanceof TooLongHttpLineException) {
            return HttpResponseStatus.REQUEST_URI_TOO_LONG;
        }
        if (cause instanceof TooLongFrameException) {
            return HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE;
        }
        return HttpResponseStatus.BAD_REQUEST;
    }

    private static String errorCodeFor(Throwable cause) {
        if (cause instanceof TooLongHttpHeaderException) {
            return "headers_too_large";
        }
        if (cause instanceof TooLongHttpLineException) {
            return "uri_too_long";
        }
        if (cause instanceof TooLongFrameException) {
            return "payload_too_large";
        }
        return "bad_request";
    }
}
