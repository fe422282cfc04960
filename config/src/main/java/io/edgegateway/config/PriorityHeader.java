package io.edgegateway.config;

/**
 * Whose {@code X-Priority} the shedder believes ({@code load-shedding.priority-header}): a caller
 * that may set it can exempt itself from shedding, so by default only the gateway's trusted proxies
 * (the {@code trusted-proxies} of the identity section's {@code client-ip} sources) may.
 */
public enum PriorityHeader {
    /** Believed from a trusted proxy's address only; removed before forwarding from anyone else. */
    TRUSTED,
    /** Believed from every client: for a route whose callers are all trusted. */
    ANY,
    /** Never believed, always removed. */
    IGNORE
}
