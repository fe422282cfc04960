package io.edgegateway.config;

import java.util.Objects;

/** The value of a request header, e.g. an API key: {@code { type = header, name = "X-API-Key" }}. */
public record HeaderIdentity(String name) implements IdentitySource {

    public HeaderIdentity {
        Objects.requireNonNull(name, "name");
    }
}
