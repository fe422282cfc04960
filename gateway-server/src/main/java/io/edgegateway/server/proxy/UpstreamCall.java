package io.edgegateway.server.proxy;

import io.edgegateway.config.RetryCondition;
import io.edgegateway.config.RetryPolicy;
import io.edgegateway.filters.ReplaySafety;
import io.edgegateway.filters.hedge.HedgePolicy;
import io.edgegateway.server.routing.Route;
import io.edgegateway.server.routing.UpgradeProtocols;
import io.edgegateway.server.tracing.TraceContext;
import io.edgegateway.server.tracing.Tracing;
import io.edgegateway.server.upstream.AttemptOutcome;
import io.edgegateway.server.upstream.UpstreamCluster;
import io.edgegateway.server.upstream.UpstreamInstance;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The upstream side of one request: which instance each {@link UpstreamAttempt} goes to, and what
 * follows a failed one. A failure the route's {@code retries} name goes to an instance not tried
 * yet, within the attempts, the deadline and the route's retry budget, when {@link ReplaySafety}
 * allows; a kept-alive connection found closed is tried again without counting. On a route with
 * {@code hedge}, a body-less request whose first try is late gets a copy on another instance and
 * the first head wins. {@code timeouts.response} bounds the whole from when the request was first
 * sent whole, {@code per-try-timeout} each try. The client side is the {@link Listener}'s.
 */
final class UpstreamCall implements UpstreamAttempt.Owner {

    /** Tries on kept-alive connections that turned out closed, beyond the route's attempts. */
    private static final int MAX_STALE_RETRIES = 2;

    /** The client side of the request: the {@link Exchange}. */
    interface Listener {

        /** A connection is ready and the head written: send the body, or end the request. */
        void upstreamReady();

        void onResponseHead(HttpResponse response);

        void onResponseContent(HttpContent content);

        void onUpstreamReadComplete();

        void onUpstreamWritabilityChanged(boolean writable);

        /** The upstream accepted the upgrade: {@code tunnelled} is the request's for good. */
        void onSwitchProtocols(HttpResponse response, Channel tunnelled);

        /** No response will come: answer the client {@code status} with {@code code}. */
        void onCallFailed(HttpResponseStatus status, String code);

        /** The response broke after its head went to the client. */
        void onResponseBroken();
    }

    private final Listener listener;
    private final ProxyContext context;
    private final Route route;
    private final UpstreamCluster cluster;
    private final RetryPolicy retries;
    private final EventLoop loop;
    private final HttpRequest head;
    private final String method;
    private final boolean hasBody;
    /** The protocols the request may switch to, or null for an ordinary request. */
    private final String upgrade;
    /** The attempt that carries the request body, and after the head the response. */
    private UpstreamAttempt primary;
    private UpstreamAttempt hedge;
    private ScheduledFuture<?> hedgeTimer;
    private boolean hedged;
    /** The first instance tried; most requests try no other, and then need no {@link #tried} array. */
    private UpstreamInstance firstTried;
    /** Every instance tried, made at the second try; null before. */
    private UpstreamInstance[] tried;
    private int triedCount;
    private int attempts;
    private int staleRetries;
    /** When the request as a whole must have its response head; 0 until it was first sent whole. */
    private long deadline;
    private boolean answered;
    private boolean over;
    /** The request's trace, or null; while it is recorded, its tries in the order they started, for their spans. */
    private TraceContext trace;
    private UpstreamAttempt[] tracedAttempts;
    private int tracedCount;

    UpstreamCall(Listener listener, ProxyContext context, Route route, EventLoop loop, HttpRequest head,
            boolean hasBody, String upgrade) {
        this.listener = listener;
        this.context = context;
        this.route = route;
        this.cluster = route.cluster();
        this.retries = route.config().retries();
        this.loop = loop;
        this.head = head;
        this.method = head.method().name();
        this.hasBody = hasBody;
        this.upgrade = upgrade;
    }

    /** Starts the first try, or answers 503 at once when no instance is in rotation. */
    void start() {
        cluster.retryBudget().onRequest();
        UpstreamInstance instance = cluster.choose(context.pools(), tried(), triedCount);
        if (instance == null) {
            over = true;
            listener.onCallFailed(HttpResponseStatus.SERVICE_UNAVAILABLE, "no_healthy_upstream");
            return;
        }
        startAttempt(instance, false);
    }

    /**
     * Starts a try on {@code instance} as the primary or as the hedge; set before it starts, since
     * an idle connection is lent (and reported) at once.
     */
    private void startAttempt(UpstreamInstance instance, boolean asHedge) {
        if (triedCount == 0) {
            firstTried = instance;
            triedCount = 1;
        } else if (triedCount < tried().length) {
            tried[triedCount++] = instance;
        }
        attempts++;
        UpstreamAttempt attempt = new UpstreamAttempt(this, instance,
                context.pools().pool(loop, instance.address()), head);
        if (trace != null) {
            traced(attempt, asHedge);
        }
        if (asHedge) {
            hedge = attempt;
        } else {
            primary = attempt;
        }
        attempt.start(route.connectTimeoutMillis());
    }

    /** The instances tried so far, {@code [0..triedCount)}; null before the first try. */
    private UpstreamInstance[] tried() {
        if (tried == null && triedCount > 0) {
            tried = new UpstreamInstance[retries.attempts() + MAX_STALE_RETRIES + 1];
            tried[0] = firstTried;
        }
        return tried;
    }

    /** The request is traced: each try sends a traceparent, and a recorded trace's tries are kept for their spans. */
    void trace(TraceContext requestTrace) {
        this.trace = requestTrace;
    }

    private void traced(UpstreamAttempt attempt, boolean asHedge) {
        attempt.traced(trace, asHedge);
        if (trace.sampled()) {
            if (tracedAttempts == null) {
                tracedAttempts = new UpstreamAttempt[retries.attempts() + MAX_STALE_RETRIES + 1];
            }
            if (tracedCount < tracedAttempts.length) {
                tracedAttempts[tracedCount++] = attempt;
            }
        }
    }

    /** Each try's span, in the order they started; a try still going when the request ended ends with it. */
    void exportSpans(Tracing tracing, long requestEndNanos) {
        for (int i = 0; i < tracedCount; i++) {
            tracing.offer(tracedAttempts[i].span(i + 1, method, requestEndNanos));
        }
    }

    // The client side drives the body.

    /** A piece of the body, not the last; only ever while {@link #connected()}. */
    void send(HttpContent content) {
        primary.send(content);
    }

    /** The request's last piece: the response timeout starts, and a hedge may be scheduled. */
    void sendLast(HttpContent last) {
        long now = System.nanoTime();
        if (deadline == 0) {
            deadline = now + route.responseTimeoutNanos();
        }
        primary.sendLast(last, tryTimeout(now), hasBody);
        scheduleHedge();
    }

    /** How long the try just sent whole may wait for its head: its share of what is left of the deadline. */
    private long tryTimeout(long now) {
        long left = Math.max(1, deadline - now);
        return route.perTryTimeoutNanos() > 0 ? Math.min(route.perTryTimeoutNanos(), left) : left;
    }

    boolean connected() {
        return primary != null && primary.connected();
    }

    boolean isWritable() {
        return primary != null && primary.isWritable();
    }

    void setAutoRead(boolean read) {
        if (primary != null) {
            primary.setAutoRead(read);
        }
    }

    /** The response went to the client whole: the connection goes back to the pool when {@code reusable}. */
    void complete(boolean reusable) {
        over = true;
        primary.finish(reusable);
    }

    /** The gateway gave the request up on its own account ({@code outcome}), or the client did (null). */
    void abandon(AttemptOutcome outcome) {
        over = true;
        stopHedging();
        if (primary != null) {
            if (outcome == null) {
                primary.cancel();
            } else {
                primary.abandon(outcome);
            }
        }
    }

    /**
     * The client went away after its request was sent whole: the connection is drained back into
     * its pool rather than closed.
     */
    void drain(boolean upstreamKeepAlive) {
        over = true;
        stopHedging();
        if (primary != null && primary.connected()) {
            primary.drain(context, upstreamKeepAlive);
        } else {
            abandon(null);
        }
    }

    // What the attempts report.

    @Override
    public void connected(UpstreamAttempt attempt) {
        if (attempt == hedge) {
            attempt.sendLast(LastHttpContent.EMPTY_LAST_CONTENT, tryTimeout(System.nanoTime()), false);
        } else {
            listener.upstreamReady();
        }
    }

    @Override
    public void answered(UpstreamAttempt attempt, HttpResponse response) {
        if (over || answered || (attempt != primary && attempt != hedge)) {
            attempt.cancel();
            return;
        }
        int status = response.status().code();
        if (status == 101) {
            switchProtocols(attempt, response);
            return;
        }
        if (hedge == null && retries.retriesOnStatus(status) && mayRetry(attempt, AttemptOutcome.Retry.STATUS)) {
            attempt.abandon(AttemptOutcome.ERROR_STATUS);
            retry(AttemptOutcome.ERROR_STATUS);
            return;
        }
        answered = true;
        if (attempt == hedge) {
            hedge = null;
            primary.cancel();
            primary = attempt;
            route.metrics().hedgeWon();
        }
        stopHedging();
        attempt.instance().recordResponseWait(System.nanoTime() - attempt.sentNanos());
        listener.onResponseHead(response);
    }

    private void switchProtocols(UpstreamAttempt attempt, HttpResponse response) {
        if (upgrade == null || !UpgradeProtocols.chosenAmong(response.headers().get(HttpHeaderNames.UPGRADE), upgrade)) {
            // A switch the request did not ask for, or to a protocol it did not offer: never a tunnel.
            attempt.abandon(AttemptOutcome.INVALID_RESPONSE);
            failed(attempt, AttemptOutcome.INVALID_RESPONSE);
            return;
        }
        answered = true;
        over = true;
        attempt.instance().recordResponseWait(System.nanoTime() - attempt.sentNanos());
        listener.onSwitchProtocols(response, attempt.detach());
    }

    @Override
    public void content(UpstreamAttempt attempt, HttpContent content) {
        if (attempt != primary || !answered) {
            ReferenceCountUtil.release(content);
            return;
        }
        listener.onResponseContent(content);
    }

    @Override
    public void readComplete(UpstreamAttempt attempt) {
        if (attempt == primary && answered) {
            listener.onUpstreamReadComplete();
        }
    }

    @Override
    public void writabilityChanged(UpstreamAttempt attempt, boolean writable) {
        if (attempt == primary) {
            listener.onUpstreamWritabilityChanged(writable);
        }
    }

    @Override
    public void failed(UpstreamAttempt attempt, AttemptOutcome outcome) {
        if (over) {
            return;
        }
        if (attempt == hedge) {
            hedge = null;
            return;
        }
        if (attempt != primary) {
            return;
        }
        if (answered) {
            over = true;
            listener.onResponseBroken();
            return;
        }
        if (hedge != null) {
            // The copy may still answer: it carries the request now.
            primary = hedge;
            hedge = null;
            return;
        }
        if (outcome == AttemptOutcome.STALE_CONNECTION && staleRetries < MAX_STALE_RETRIES
                && ReplaySafety.mayRetry(method, hasBody, attempt.bodyBytesSent()) && !pastDeadline()) {
            staleRetries++;
            attempts--; // the stale connection's try does not count against the route's attempts
            retry(outcome);
            return;
        }
        AttemptOutcome.Retry reason = outcome.retry();
        if (reason != null && reason != AttemptOutcome.Retry.STATUS && mayRetry(attempt, reason)) {
            retry(outcome);
            return;
        }
        over = true;
        HttpResponseStatus status = outcome.clientStatus() != null ? outcome.clientStatus() : HttpResponseStatus.BAD_GATEWAY;
        listener.onCallFailed(status, outcome.clientError() != null ? outcome.clientError() : "bad_gateway");
    }

    /**
     * Whether the route's retries allow another try after {@code attempt} failed for {@code reason}:
     * a condition the route names, attempts left, the deadline not passed, nothing sent that may not
     * be sent twice, and the budget; counts the retry when it may go.
     */
    private boolean mayRetry(UpstreamAttempt attempt, AttemptOutcome.Retry reason) {
        if (attempts >= retries.attempts() || pastDeadline()) {
            return false;
        }
        if (reason != AttemptOutcome.Retry.STATUS && !retries.retriesOn(condition(reason))) {
            return false;
        }
        if (reason != AttemptOutcome.Retry.CONNECT_FAILURE
                && !ReplaySafety.mayRetry(method, hasBody, attempt.bodyBytesSent())) {
            return false;
        }
        if (!cluster.retryBudget().tryAcquire()) {
            return false;
        }
        cluster.countRetry(reason);
        return true;
    }

    private static RetryCondition condition(AttemptOutcome.Retry reason) {
        return switch (reason) {
            case CONNECT_FAILURE -> RetryCondition.CONNECT_FAILURE;
            case RESET -> RetryCondition.RESET;
            case TIMEOUT -> RetryCondition.TIMEOUT;
            case STATUS -> throw new IllegalArgumentException("statuses are matched by their code");
        };
    }

    private boolean pastDeadline() {
        return deadline != 0 && System.nanoTime() - deadline >= 0;
    }

    /** Another try, on an instance not tried yet when there is one; the first failure's answer when none is in rotation. */
    private void retry(AttemptOutcome after) {
        UpstreamInstance next = cluster.choose(context.pools(), tried(), triedCount);
        if (next == null) {
            over = true;
            listener.onCallFailed(HttpResponseStatus.SERVICE_UNAVAILABLE, "no_healthy_upstream");
            return;
        }
        startAttempt(next, false);
    }

    /** After the request went out whole on the first try, a copy is due once the route's hedge delay passes. */
    private void scheduleHedge() {
        if (attempts != 1 || route.hedge() == null || upgrade != null || cluster.instances().size() < 2) {
            return;
        }
        long delay = route.hedge().delayNanos(method, hasBody);
        if (delay != HedgePolicy.NO_HEDGE) {
            hedgeTimer = loop.schedule(this::hedgeDue, delay, TimeUnit.NANOSECONDS);
        }
    }

    /** Sends the copy, if the first try is still silent and the budget allows. */
    private void hedgeDue() {
        hedgeTimer = null;
        if (over || answered || hedge != null || primary == null) {
            return;
        }
        UpstreamInstance other = cluster.choose(context.pools(), tried(), triedCount);
        if (other == null || other == primary.instance() || !route.hedge().tryHedge()) {
            return;
        }
        route.metrics().hedgeSent();
        hedged = true;
        startAttempt(other, true);
    }

    private void stopHedging() {
        if (hedgeTimer != null) {
            hedgeTimer.cancel(false);
            hedgeTimer = null;
        }
        if (hedge != null) {
            UpstreamAttempt copy = hedge;
            hedge = null;
            copy.cancel();
        }
    }

    // For the access log.

    /** The instance that answered (or was tried last), or null when none was tried. */
    String upstreamLabel() {
        return primary == null ? null : primary.instance().label();
    }

    /** Tries made, the hedge and stale-connection tries included. */
    int attempts() {
        return attempts + staleRetries;
    }

    boolean hedged() {
        return hedged;
    }

    /** The instances tried, in order. */
    List<String> triedLabels() {
        if (triedCount == 1) {
            return List.of(firstTried.label());
        }
        List<String> labels = new ArrayList<>(triedCount);
        for (int i = 0; i < triedCount; i++) {
            labels.add(tried[i].label());
        }
        return labels;
    }
}
