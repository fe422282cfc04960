package io.edgegateway.filters;

/**
 * When a request may reach a second upstream instance: the one rule that retries and hedges share.
 * A body that reached an instance is never sent again (it is streamed, not kept), so both need the
 * body unsent; a retry follows a failed try, a hedge runs beside one still going, hence a hedge
 * also needs a method that is safe to run twice at once.
 */
public final class ReplaySafety {

    private ReplaySafety() {
    }

    /** RFC 9110 section 9.2.2: repeating the request leaves the same effect as sending it once. */
    public static boolean idempotent(String method) {
        return switch (method) {
            case "GET", "HEAD", "OPTIONS", "TRACE", "PUT", "DELETE" -> true;
            default -> false;
        };
    }

    /**
     * Whether a request whose try failed after it was sent (a reset, a timeout, a retryable status)
     * may go to another instance: none of its body went out, and either its method is idempotent or
     * it has a body the instance never got (without it, the instance cannot have acted).
     */
    public static boolean mayRetry(String method, boolean hasBody, long bodyBytesSent) {
        return bodyBytesSent == 0 && (hasBody || idempotent(method));
    }

    /** Whether a copy may be sent while the first try still runs: a safe method (RFC 9110 section 9.2.1) with no body. */
    public static boolean mayHedge(String method, boolean hasBody) {
        return !hasBody && switch (method) {
            case "GET", "HEAD", "OPTIONS", "TRACE" -> true;
            default -> false;
        };
    }
}
