package io.edgegateway.config;

import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Which requests a route takes.
 *
 * @param pathPrefix starts with {@code /}
 * @param methods upper-case; empty means any method
 * @param host lower-case; empty means any host
 */
public record RouteMatch(String pathPrefix, Set<String> methods, Optional<String> host) {

    public RouteMatch {
        Objects.requireNonNull(pathPrefix, "pathPrefix");
        methods = Set.copyOf(methods);
        Objects.requireNonNull(host, "host");
    }
}
