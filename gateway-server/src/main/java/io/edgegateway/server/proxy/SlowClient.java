package io.edgegateway.server.proxy;

/** Why a client that sent its request too slowly was given up: {@code gateway_client_timeouts_total}'s reason. */
enum SlowClient {
    /** The request head was not whole within {@code limits.header-timeout} of its first byte. */
    HEADER_TIMEOUT("header_timeout"),
    /** The body came slower than {@code limits.min-body-rate}. */
    BODY_RATE("body_rate"),
    /** The body stopped for {@code limits.idle-timeout}. */
    BODY_IDLE("body_idle");

    final String label;

    SlowClient(String label) {
        this.label = label;
    }
}
