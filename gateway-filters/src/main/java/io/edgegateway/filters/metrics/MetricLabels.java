package io.edgegateway.filters.metrics;

import java.util.List;

/**
 * Label values that come from the wire, folded into a bounded set: a client chooses its request
 * method and an upstream its status code, and every distinct value would otherwise be a new series
 * held for the life of the process.
 */
public final class MetricLabels {

    /** The value of every method outside {@link #METHODS}, and of every status outside 100..599 (as OpenTelemetry does). */
    public static final String OTHER = "_OTHER";

    /**
     * The methods that keep their own label value: RFC 9110's, PATCH (RFC 5789) and QUERY (the
     * httpbis safe-method-with-body draft), OpenTelemetry's list of known methods.
     */
    static final List<String> METHODS =
            List.of("GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "CONNECT", "QUERY");

    static final int MIN_STATUS = 100;
    static final int MAX_STATUS = 599;

    private MetricLabels() {
    }

    /** The method's index in {@link #METHODS}, or {@code METHODS.size()} for {@link #OTHER}. */
    static int methodIndex(String method) {
        int index = METHODS.indexOf(method);
        return index < 0 ? METHODS.size() : index;
    }

    /** The label value of a method: itself when standard, else {@link #OTHER}. */
    public static String method(String method) {
        int index = methodIndex(method);
        return index < METHODS.size() ? METHODS.get(index) : OTHER;
    }

    static boolean isStandardStatus(int status) {
        return status >= MIN_STATUS && status <= MAX_STATUS;
    }

    /** The label value of a status code: its digits when in 100..599, else {@link #OTHER}. */
    public static String code(int status) {
        return isStandardStatus(status) ? Integer.toString(status) : OTHER;
    }
}
