package io.edgegateway.config;

import java.util.List;

/** How a request's identity is found: the sources are tried in order and the first one that yields wins. */
public record IdentityConfig(List<IdentitySource> sources) {

    public IdentityConfig {
        sources = List.copyOf(sources);
    }
}
