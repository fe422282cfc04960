package io.edgegateway.loadtest.upstream;

import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import java.util.concurrent.Future;

/**
 * One request on one connection, from its head to its response; touched only by the channel's event loop.
 * It may be answered once its whole body has arrived and its delay has elapsed.
 */
final class UpstreamExchange {

    private final HttpRequest request;
    private final ResponseInstructions instructions;
    private long receivedBytes;
    private boolean bodyComplete;
    private boolean delayElapsed;
    private Future<?> delay;
    private RecordedRequest recorded;

    UpstreamExchange(HttpRequest request, ResponseInstructions instructions) {
        this.request = request;
        this.instructions = instructions;
    }

    HttpRequest request() {
        return request;
    }

    ResponseInstructions instructions() {
        return instructions;
    }

    long receivedBytes() {
        return receivedBytes;
    }

    void received(int bytes) {
        receivedBytes += bytes;
    }

    void bodyComplete() {
        bodyComplete = true;
    }

    void recorded(RecordedRequest recorded) {
        this.recorded = recorded;
    }

    /** The request as recorded once its body was complete. */
    RecordedRequest recorded() {
        return recorded;
    }

    void delayScheduled(Future<?> delay) {
        this.delay = delay;
    }

    void delayElapsed() {
        delayElapsed = true;
    }

    boolean readyToAnswer() {
        return bodyComplete && delayElapsed;
    }

    /** Stops waiting for the delay when the connection went away first. */
    void abandon() {
        if (delay != null) {
            delay.cancel(false);
        }
    }

    /**
     * Whether the request carries a body, so the answer reports what arrived: any POST, PUT or PATCH, and any
     * request that announces a non-empty body (some clients send {@code Content-Length: 0} on every GET).
     */
    boolean requestHadBody() {
        HttpMethod method = request.method();
        return method.equals(HttpMethod.POST) || method.equals(HttpMethod.PUT) || method.equals(HttpMethod.PATCH)
                || HttpUtil.isTransferEncodingChunked(request) || HttpUtil.getContentLength(request, 0L) > 0
                || receivedBytes > 0;
    }

    /** Whether the connection stays open after this answer: the client's keep-alive wish and no close asked. */
    boolean keepsConnection() {
        return HttpUtil.isKeepAlive(request) && !instructions.close() && !instructions.resetsMidBody();
    }
}
