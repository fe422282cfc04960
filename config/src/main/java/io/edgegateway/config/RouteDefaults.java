package io.edgegateway.config;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What a route inherits for the keys it leaves out: {@code gateway.route-defaults} (routes are list
 * elements, so reference.conf cannot default them directly), the global rate-limit default, the
 * global load-shedding settings, {@code gateway.upstream.outlier-detection} and {@code gateway.upstream.slow-start}.
 */
record RouteDefaults(
        boolean stripPrefix,
        LoadBalancing loadBalancing,
        Timeouts timeouts,
        List<String> upgrades,
        RetryPolicy retries,
        Optional<Quota> defaultQuota,
        Optional<LoadSheddingConfig> loadShedding,
        Optional<OutlierDetection> outlierDetection,
        Duration slowStart) {

    /** Stands in for an invalid {@code route-defaults} so that the routes are still checked; never loaded. */
    static final RouteDefaults PLACEHOLDER = new RouteDefaults(
            false, LoadBalancing.ROUND_ROBIN,
            new Timeouts(Duration.ofSeconds(1), Duration.ofSeconds(10), Duration.ofMinutes(5)),
            List.of("websocket"), RetryPolicy.DEFAULT, Optional.empty(), Optional.empty(), Optional.empty(), Duration.ZERO);

    static Optional<RouteDefaults> read(ConfigReader r) {
        r.rejectUnknownKeys(Set.of("strip-prefix", "load-balancing", "timeouts", "upgrades", "retries"));
        r.require("strip-prefix", "true or false");
        r.require("load-balancing", "round-robin or least-request");
        r.require("timeouts", "an object { connect = D, response = D, upgraded-idle = D }");
        r.require("upgrades", UpgradeListReader.EXPECTED);
        r.require("retries", RetryPolicyReader.EXPECTED);
        Optional<Boolean> stripPrefix = r.bool("strip-prefix");
        Optional<LoadBalancing> loadBalancing = r.choice("load-balancing", LoadBalancing.class);
        Optional<Timeouts> timeouts = r.object("timeouts").flatMap(t -> TimeoutsReader.read(t, Optional.empty()));
        Optional<List<String>> upgrades = r.value("upgrades").flatMap(UpgradeListReader::read);
        Optional<RetryPolicy> retries = r.value("retries").flatMap(v -> RetryPolicyReader.read(v, RetryPolicy.DEFAULT));
        return r.build(() -> new RouteDefaults(stripPrefix.orElseThrow(), loadBalancing.orElseThrow(), timeouts.orElseThrow(),
                upgrades.orElseThrow(), retries.orElseThrow(), Optional.empty(), Optional.empty(), Optional.empty(),
                Duration.ZERO));
    }

    RouteDefaults inheriting(Optional<Quota> quota, Optional<LoadSheddingConfig> shedding, Optional<OutlierDetection> outliers,
            Duration slowStart) {
        return new RouteDefaults(stripPrefix, loadBalancing, timeouts, upgrades, retries, quota, shedding, outliers, slowStart);
    }
}
