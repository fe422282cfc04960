package io.edgegateway.config;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One element of {@code gateway.routes}.
 *
 * @param upstreams normalized to {@code scheme://host:port} (http, https, h2c or h2), never empty
 * @param upgrades the {@code Upgrade} protocols whose 101 becomes a tunnel, lower-case; any other
 *     {@code Upgrade} is dropped as hop-by-hop and the request forwarded as an ordinary one
 * @param retries {@link RetryPolicy#OFF} when {@code retries = off}; keys left out come from
 *     {@code route-defaults.retries}
 * @param healthCheck empty: no active checks
 * @param outlierDetection resolved against {@code gateway.upstream.outlier-detection}; empty: off
 * @param slowStart how long an instance back in rotation takes to reach its full share; zero: at once
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
        Optional<OutlierDetection> outlierDetection,
        Duration slowStart) {

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
        if (slowStart.isNegative()) {
            throw new IllegalArgumentException("slowStart: " + slowStart + " (expected: >= 0)");
        }
    }

    /** {@code retries.on} names {@code condition} and more than one try is allowed. */
    public boolean retriesOn(RetryCondition condition) {
        return retries.retriesOn(condition);
    }
}
