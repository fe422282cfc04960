package io.edgegateway.config;

import java.net.URI;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One element of {@code gateway.routes}.
 *
 * @param upstreams normalized to {@code http://host:port}, never empty
 * @param upgrades the {@code Upgrade} protocols whose 101 becomes a tunnel, lower-case; any other
 *     {@code Upgrade} is dropped as hop-by-hop and the request forwarded as an ordinary one
 */
public record RouteConfig(
        String id,
        RouteMatch match,
        boolean stripPrefix,
        List<URI> upstreams,
        LoadBalancing loadBalancing,
        Timeouts timeouts,
        RouteRateLimit rateLimit,
        Optional<HedgeConfig> hedge,
        RouteShedding loadShedding,
        List<String> upgrades) {

    public RouteConfig {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(match, "match");
        upstreams = List.copyOf(upstreams);
        Objects.requireNonNull(loadBalancing, "loadBalancing");
        Objects.requireNonNull(timeouts, "timeouts");
        Objects.requireNonNull(rateLimit, "rateLimit");
        Objects.requireNonNull(hedge, "hedge");
        Objects.requireNonNull(loadShedding, "loadShedding");
        upgrades = List.copyOf(upgrades);
    }
}
