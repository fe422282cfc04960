package io.edgegateway.server.proxy;

/** Fired at every client connection when the gateway starts draining. */
public enum DrainEvent {
    INSTANCE
}
