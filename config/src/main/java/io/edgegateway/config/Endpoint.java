package io.edgegateway.config;

import java.util.Objects;

/** A host and port to listen on; port 0 asks the OS for any free port. */
public record Endpoint(String host, int port) {

    public Endpoint {
        Objects.requireNonNull(host, "host");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port: " + port + " (expected: 0..65535)");
        }
    }
}
