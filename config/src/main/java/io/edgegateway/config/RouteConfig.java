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
 * @param retries {@link RetryPolicy#OFF} when {@code retries = off}; keys left out come from
 *     {@code route-defaults.retries}
 * @param healthCheck empty: no active checks
 * @param outlierDetection resolved against {@code gateway.upstream.outlier-detection}; empty: off
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
        List<String> upgrades,
        RetryPolicy retries,
        Optional<HealthCheck> healthCheck,
        Optional<OutlierDetection> outlierDetection) {

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
        Objects.requireNonNull(retries, "retries");
        Objects.requireNonNull(healthCheck, "healthCheck");
        Objects.requireNonNull(outlierDetection, "outlierDetection");
    }

    /** {@code retries.on} names {@code condition} and more than one try is allowed. */
    public boolean retriesOn(RetryCondition condition) {
        return retries.retriesOn(condition);
    }
}
