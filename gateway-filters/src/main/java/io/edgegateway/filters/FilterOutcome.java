package io.edgegateway.filters;

import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** What a filter chain decided: forward the request upstream, or answer it here. */
public sealed interface FilterOutcome {

    /** Forward upstream; the context's response headers are added to the upstream's response. */
    Forward FORWARD = new Forward();

    /** {@link #FORWARD}, already complete: the chain's end, shared by every request. */
    CompletionStage<FilterOutcome> FORWARD_NOW = CompletableFuture.completedStage(FORWARD);

    static CompletionStage<FilterOutcome> respond(HttpResponseStatus status, String errorCode) {
        return CompletableFuture.completedStage(new Respond(status, errorCode));
    }

    final class Forward implements FilterOutcome {
        private Forward() {
        }
    }

    /**
     * Answer with {@code status} and the body {@code {"error":"<errorCode>"}}, plus the context's
     * response headers.
     */
    record Respond(HttpResponseStatus status, String errorCode) implements FilterOutcome { }
}
