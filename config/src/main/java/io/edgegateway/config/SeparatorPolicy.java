package io.edgegateway.config;

/**
 * What the gateway does with a path character that some upstreams take as a segment separator and
 * others as data: {@code %2F} ({@code paths.escaped-slash}), {@code \} and {@code %5C}
 * ({@code paths.backslash}).
 */
public enum SeparatorPolicy {
    /** The request is refused with 400. */
    REJECT,
    /** Forwarded as sent and taken as data: it neither splits segments nor is resolved. */
    KEEP,
    /** Turned into {@code /} before dot segments are resolved, and forwarded as {@code /}. */
    DECODE
}
