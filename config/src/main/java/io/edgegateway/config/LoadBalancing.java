package io.edgegateway.config;

/** How a route picks one of its upstreams: {@code round-robin | least-request}. */
public enum LoadBalancing {
    ROUND_ROBIN,
    LEAST_REQUEST
}
