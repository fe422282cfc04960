package io.edgegateway.server.proxy;

import io.edgegateway.server.tracing.ClientSpan;
import io.edgegateway.server.tracing.TraceContext;
import io.edgegateway.server.tracing.TraceParent;
import io.edgegateway.server.upstream.AttemptOutcome;
import io.edgegateway.server.upstream.Borrower;
import io.edgegateway.server.upstream.PoolExhaustedException;
import io.edgegateway.server.upstream.PooledConnection;
import io.edgegateway.server.upstream.UpstreamInstance;
import io.edgegateway.server.upstream.UpstreamPool;
import io.netty.channel.Channel;
import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;

/**
 * One try of a request on one upstream instance: borrow a connection, write the head (and whatever
 * body its {@link Owner} hands it), read the response, give the connection back. However it ends,
 * it reports exactly one {@link AttemptOutcome} to its instance's cluster; what to do next (retry,
 * hedge, answer the client) is the owner's decision. Runs on the client's event loop.
 */
final class UpstreamAttempt implements UpstreamListener, Borrower {

    /** Who started the attempt; each call comes with the attempt it is about. */
    interface Owner {

        /** A connection was lent and the head written: send the body (or end the request). */
        void connected(UpstreamAttempt attempt);

        /** The response head arrived (a 101 included; other 1xx are skipped here). */
        void answered(UpstreamAttempt attempt, HttpResponse response);

        void content(UpstreamAttempt attempt, HttpContent content);

        void readComplete(UpstreamAttempt attempt);

        void writabilityChanged(UpstreamAttempt attempt, boolean writable);

        /** The attempt ended in a failure, already reported; its connection is gone. */
        void failed(UpstreamAttempt attempt, AttemptOutcome outcome);
    }

    private final Owner owner;
    private final UpstreamInstance instance;
    private final UpstreamPool pool;
    private final HttpRequest head;
    private Future<PooledConnection> acquiring;
    private Channel channel;
    private ProxyBackendHandler backend;
    private boolean reused;
    private long sentNanos;
    private long bodyBytesSent;
    private boolean answered;
    /** Any response head came, a 1xx included: the instance got the request, the connection was not stale. */
    private boolean heardFrom;
    private boolean skippingInformational;
    private int status;
    private AttemptOutcome outcome;
    /** The request's trace, or null: this try's span (the parent its traceparent names), when it started and ended. */
    private TraceContext trace;
    private long spanId;
    private boolean asHedge;
    private long startedNanos;
    private long endedNanos;

    UpstreamAttempt(Owner owner, UpstreamInstance instance, UpstreamPool pool, HttpRequest head) {
        this.owner = owner;
        this.instance = instance;
        this.pool = pool;
        this.head = head;
    }

    /** The request is traced: this try gets a span id of its own, and when recorded a start time. */
    void traced(TraceContext requestTrace, boolean hedge) {
        trace = requestTrace;
        spanId = TraceContext.newSpanId();
        asHedge = hedge;
        if (requestTrace.sampled()) {
            startedNanos = System.nanoTime();
        }
    }

    void start(int connectTimeoutMillis) {
        acquiring = pool.lend(connectTimeoutMillis, this);
    }

    @Override
    public boolean gaveUp() {
        acquiring = null;
        return outcome != null;
    }

    @Override
    public void lent(Channel connection, boolean wasReused) {
        acquiring = null;
        channel = connection;
        reused = wasReused;
        backend = connection.pipeline().get(ProxyBackendHandler.class);
        backend.bind(this);
        sentNanos = System.nanoTime();
        if (trace != null) {
            // Encoded by this write, before any other try (a hedge, a retry) sets its own.
            head.headers().set(TraceParent.TRACEPARENT, trace.traceparent(spanId));
        }
        connection.write(head, connection.voidPromise());
        owner.connected(this);
    }

    @Override
    public void notLent(Throwable cause) {
        acquiring = null;
        if (cause instanceof PoolExhaustedException) {
            fail(AttemptOutcome.POOL_EXHAUSTED);
        } else if (cause instanceof ConnectTimeoutException) {
            fail(AttemptOutcome.CONNECT_TIMEOUT);
        } else {
            fail(AttemptOutcome.CONNECT_FAILED);
        }
    }

    /** A piece of the body, not the last. */
    void send(HttpContent content) {
        bodyBytesSent += content.content().readableBytes();
        channel.writeAndFlush(content, channel.voidPromise());
    }

    /**
     * The request's last piece. The response head then gets {@code timeoutNanos}, counted once the
     * piece is written when the request has a body (a body may take long to go out).
     */
    void sendLast(HttpContent last, long timeoutNanos, boolean hasBody) {
        bodyBytesSent += last.content().readableBytes();
        if (hasBody) {
            channel.writeAndFlush(last, backend.armResponseTimeoutOnceWritten(timeoutNanos));
        } else {
            channel.writeAndFlush(last, channel.voidPromise());
            backend.armResponseTimeout(timeoutNanos);
        }
    }

    @Override
    public void onResponseHead(HttpResponse response) {
        heardFrom = true;
        int code = response.status().code();
        if (code != 101 && response.status().codeClass() == HttpStatusClass.INFORMATIONAL) {
            skippingInformational = true;
            return;
        }
        backend.disarmResponseTimeout();
        answered = true;
        status = code;
        owner.answered(this, response);
    }

    @Override
    public void onResponseContent(HttpContent content) {
        if (skippingInformational) {
            skippingInformational = !(content instanceof LastHttpContent);
            content.release();
        } else if (outcome != null) {
            ReferenceCountUtil.release(content);
        } else {
            owner.content(this, content);
        }
    }

    @Override
    public void onUpstreamReadComplete() {
        owner.readComplete(this);
    }

    @Override
    public void onUpstreamWritabilityChanged(boolean writable) {
        owner.writabilityChanged(this, writable);
    }

    @Override
    public void onUpstreamFailure(boolean connectionLost) {
        if (answered) {
            fail(AttemptOutcome.RESET_DURING_RESPONSE);
        } else if (!connectionLost) {
            fail(AttemptOutcome.INVALID_RESPONSE);
        } else if (reused && !heardFrom && bodyBytesSent == 0) {
            fail(AttemptOutcome.STALE_CONNECTION);
        } else if (!heardFrom && pool.multiplexed() && Http2UpstreamMessages.refused(channel)) {
            fail(AttemptOutcome.STALE_CONNECTION); // an HTTP/2 stream refused unprocessed: as safe to try again
        } else {
            fail(AttemptOutcome.RESET);
        }
    }

    @Override
    public void onResponseTimeout() {
        if (!answered) {
            fail(AttemptOutcome.RESPONSE_TIMEOUT);
        }
    }

    /** Ends the attempt on a failure the gateway saw ({@code outcome}), without telling the owner. */
    void abandon(AttemptOutcome failure) {
        end(failure, false);
    }

    /** Gives the attempt up (another answered first, the client went away): nobody's failure. */
    void cancel() {
        end(AttemptOutcome.CANCELLED, false);
    }

    /** The response was passed on whole: the connection goes back to the pool when {@code reusable}. */
    void finish(boolean reusable) {
        end(status >= 500 ? AttemptOutcome.ERROR_STATUS : AttemptOutcome.SUCCESS, reusable);
    }

    /**
     * The connection switched protocols: it leaves the pool for good (still counted as open until it
     * closes) and is returned for a tunnel.
     */
    Channel detach() {
        report(AttemptOutcome.SUCCESS);
        Channel tunnelled = channel;
        backend.unbind();
        pool.detach(tunnelled);
        channel = null;
        backend = null;
        return tunnelled;
    }

    /**
     * The client went away after its request was sent whole: an {@link UpstreamDrain} reads the rest
     * of the response so that the connection can go back to the pool.
     */
    void drain(ProxyContext context, boolean upstreamKeepAlive) {
        if (pool.multiplexed()) {
            cancel(); // an HTTP/2 stream is reset (CANCEL) instead: its connection carries on
            return;
        }
        report(AttemptOutcome.CANCELLED);
        Channel drained = channel;
        ProxyBackendHandler drainedBackend = backend;
        backend.unbind();
        channel = null;
        backend = null;
        UpstreamDrain.start(context, pool, drained, drainedBackend, answered, upstreamKeepAlive, skippingInformational);
    }

    private void fail(AttemptOutcome failure) {
        if (outcome == null) {
            end(failure, false);
            owner.failed(this, failure);
        }
    }

    private void end(AttemptOutcome ended, boolean reusable) {
        report(ended);
        if (acquiring != null) {
            acquiring.cancel(false);
            acquiring = null;
        }
        if (channel != null) {
            backend.unbind();
            channel.config().setAutoRead(true);
            pool.release(channel, reusable);
            channel = null;
            backend = null;
        }
    }

    private void report(AttemptOutcome ended) {
        if (outcome == null) {
            outcome = ended;
            if (trace != null && trace.sampled()) {
                endedNanos = System.nanoTime();
            }
            instance.report(ended);
        }
    }

    /** This try's span as try {@code number} of its request; one still going ends with the request, cancelled. */
    ClientSpan span(int number, String method, long requestEndNanos) {
        ClientSpan.Kind kind = asHedge ? ClientSpan.Kind.HEDGE : number > 1 ? ClientSpan.Kind.RETRY : ClientSpan.Kind.FIRST;
        return new ClientSpan(trace, spanId, method, instance.address(), number, kind,
                outcome == null ? AttemptOutcome.CANCELLED : outcome, status, startedNanos,
                outcome == null ? requestEndNanos : endedNanos);
    }

    /** Sets whether the upstream connection (or HTTP/2 stream) is read: off while the client cannot take more. */
    void setAutoRead(boolean read) {
        if (channel != null) {
            channel.config().setAutoRead(read);
            if (read && pool.multiplexed()) {
                // Reading again gives the stream's window back, written to the connection but not flushed
                // when a read was already requested; unflushed, the upstream would wait for it forever.
                channel.parent().flush();
            }
        }
    }

    boolean connected() {
        return channel != null;
    }

    boolean isWritable() {
        return channel != null && channel.isWritable();
    }

    UpstreamInstance instance() {
        return instance;
    }

    long sentNanos() {
        return sentNanos;
    }

    long bodyBytesSent() {
        return bodyBytesSent;
    }

    /** How it ended, or null while it goes on. */
    AttemptOutcome outcome() {
        return outcome;
    }
}
