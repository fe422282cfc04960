package io.edgegateway.server.tracing;

import io.edgegateway.server.upstream.AttemptOutcome;
import io.edgegateway.server.upstream.UpstreamAddress;

/**
 * The span of one try of a request on one upstream instance (kind CLIENT), a child of the request's
 * span; its id is the parent named in the {@code traceparent} the try sent.
 *
 * @param attempt the try's number within its request, from 1
 * @param outcome how the try ended, as its instance was told
 * @param status the status of the instance's response head, or 0 when none came
 */
public record ClientSpan(TraceContext trace, long spanId, String method, UpstreamAddress instance, int attempt,
        Kind kind, AttemptOutcome outcome, int status, long startNanos, long endNanos) implements FinishedSpan {

    /** Why the try was made. */
    public enum Kind {
        FIRST("first"), RETRY("retry"), HEDGE("hedge");

        final String label;

        Kind(String label) {
            this.label = label;
        }
    }
}
