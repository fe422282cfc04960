package io.edgegateway.server.upstream;

import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * How one attempt on one upstream instance ended: the only thing an attempt reports, once, to its
 * instance's cluster. Each outcome knows its {@code gateway_upstream_errors_total} label, whether it
 * counts against the instance (outlier detection), which retry condition it meets, and what the
 * client gets when it is the request's last word.
 */
public enum AttemptOutcome {
    /** A response that is not a 5xx, read whole (or a 101 turned into a tunnel). */
    SUCCESS(null, false, null, null, null),
    /** A 5xx from the instance itself. */
    ERROR_STATUS(null, true, Retry.STATUS, null, null),
    CONNECT_FAILED("connect_failed", true, Retry.CONNECT_FAILURE, HttpResponseStatus.BAD_GATEWAY, "bad_gateway"),
    CONNECT_TIMEOUT("connect_timeout", true, Retry.CONNECT_FAILURE, HttpResponseStatus.GATEWAY_TIMEOUT, "gateway_timeout"),
    /** The instance's connections, and the requests waiting for one, are at their bound: the gateway's own limit. */
    POOL_EXHAUSTED("pool_exhausted", false, null, HttpResponseStatus.SERVICE_UNAVAILABLE, "upstream_busy"),
    /** A kept-alive connection the instance had closed while it idled: no byte of a response came; nothing was processed. */
    STALE_CONNECTION("stale_connection", false, null, HttpResponseStatus.BAD_GATEWAY, "bad_gateway"),
    /** The connection closed or reset before the response head. */
    RESET("reset", true, Retry.RESET, HttpResponseStatus.BAD_GATEWAY, "bad_gateway"),
    /** A response that cannot be parsed, or a 101 nobody asked for. */
    INVALID_RESPONSE("invalid_response", true, Retry.RESET, HttpResponseStatus.BAD_GATEWAY, "bad_gateway"),
    /** No response head within the attempt's time. */
    RESPONSE_TIMEOUT("response_timeout", true, Retry.TIMEOUT, HttpResponseStatus.GATEWAY_TIMEOUT, "gateway_timeout"),
    /** The instance stopped taking the request body for the client's idle timeout. */
    REQUEST_STALLED("request_stalled", true, null, HttpResponseStatus.GATEWAY_TIMEOUT, "gateway_timeout"),
    /** The connection broke after the response head: the client's connection is closed. */
    RESET_DURING_RESPONSE("reset_during_response", true, null, null, null),
    /** The response body moved no byte for the client's idle timeout. */
    RESPONSE_STALLED("response_stalled", true, null, null, null),
    /** Given up by the gateway: the client went away, another attempt answered first, or a retry replaced it. */
    CANCELLED(null, false, null, null, null);

    /** The {@code reason} label of {@code gateway_retries_total}, and the retry condition an outcome meets. */
    public enum Retry {
        CONNECT_FAILURE("connect_failure"), RESET("reset"), TIMEOUT("timeout"), STATUS("status");

        public final String label;

        Retry(String label) {
            this.label = label;
        }
    }

    private final String errorLabel;
    private final boolean instanceFailure;
    private final Retry retry;
    private final HttpResponseStatus clientStatus;
    private final String clientError;

    AttemptOutcome(String errorLabel, boolean instanceFailure, Retry retry, HttpResponseStatus clientStatus,
            String clientError) {
        this.errorLabel = errorLabel;
        this.instanceFailure = instanceFailure;
        this.retry = retry;
        this.clientStatus = clientStatus;
        this.clientError = clientError;
    }

    /** The {@code error_type} of {@code gateway_upstream_errors_total}, or null for an outcome not counted there. */
    public String errorLabel() {
        return errorLabel;
    }

    /** Whether it counts as a failure of the instance for outlier detection (never the client's doing or the gateway's). */
    public boolean instanceFailure() {
        return instanceFailure;
    }

    /** The retry condition this outcome meets, or null when no retry follows it. */
    public Retry retry() {
        return retry;
    }

    /** Whether nothing of the request can have reached the instance. */
    public boolean nothingSent() {
        return retry == Retry.CONNECT_FAILURE || this == POOL_EXHAUSTED || this == STALE_CONNECTION;
    }

    /** The status the client gets when the request ends on this outcome before any response byte. */
    public HttpResponseStatus clientStatus() {
        return clientStatus;
    }

    /** The {@code error} of the client's JSON body. */
    public String clientError() {
        return clientError;
    }
}
