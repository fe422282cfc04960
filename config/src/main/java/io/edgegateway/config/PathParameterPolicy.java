package io.edgegateway.config;

/**
 * What the gateway does with a {@code ;} in a path segment, which Tomcat and Spring read as the
 * start of the segment's parameters ({@code /a;jsessionid=1/b} is {@code /a/b} to them):
 * {@code paths.path-parameters}.
 */
public enum PathParameterPolicy {
    /** The request is refused with 400. */
    REJECT,
    /** Forwarded as sent; routing ignores a segment's parameters. */
    KEEP,
    /** Removed, from the {@code ;} up to the next {@code /}, before routing and forwarding. */
    STRIP
}
