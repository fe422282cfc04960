package io.edgegateway.config;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/** Reads one element of {@code gateway.routes}; keys it leaves out come from {@link RouteDefaults}. */
final class RouteConfigReader {

    private static final Set<String> KEYS = Set.of(
            "id", "match", "strip-prefix", "upstreams", "load-balancing", "timeouts", "rate-limit", "hedge", "load-shedding",
            "upgrades", "retries", "health-check", "outlier-detection", "slow-start");
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_.-]+");
    private static final String ID_EXPECTED = "a non-empty id of letters, digits, '_', '.' and '-'";
    private static final String UPSTREAMS_EXPECTED = "a non-empty list of " + UpstreamUriReader.EXPECTED + "s";

    private RouteConfigReader() {
    }

    static Optional<RouteConfig> read(ConfigReader r, RouteDefaults defaults) {
        r.rejectUnknownKeys(KEYS);
        r.require("id", ID_EXPECTED);
        r.require("match", "an object { path-prefix = \"/...\" }");
        r.require("upstreams", UPSTREAMS_EXPECTED);
        Optional<String> id = r.value("id").flatMap(v -> v.string(ID_EXPECTED).filter(s -> v.check(ID.matcher(s).matches(), ID_EXPECTED)));
        Optional<RouteMatch> match = r.object("match").flatMap(RouteMatchReader::read);
        boolean stripPrefix = r.bool("strip-prefix").orElse(defaults.stripPrefix());
        Optional<List<URI>> upstreams = r.value("upstreams")
                .flatMap(v -> v.nonEmptyListOf(UPSTREAMS_EXPECTED, UpstreamUriReader::read));
        LoadBalancing loadBalancing = r.choice("load-balancing", LoadBalancing.class).orElse(defaults.loadBalancing());
        Timeouts timeouts = r.object("timeouts")
                .flatMap(t -> TimeoutsReader.read(t, Optional.of(defaults.timeouts())))
                .orElse(defaults.timeouts());
        RouteRateLimit rateLimit = rateLimit(r, defaults.defaultQuota());
        Optional<HedgeConfig> hedge = r.value("hedge").flatMap(HedgeConfigReader::read);
        RouteShedding loadShedding = LoadSheddingReader.route(r, defaults.loadShedding());
        List<String> upgrades = r.value("upgrades").flatMap(UpgradeListReader::read).orElse(defaults.upgrades());
        RetryPolicy retries = r.value("retries")
                .flatMap(v -> RetryPolicyReader.read(v, defaults.retries()))
                .orElse(defaults.retries());
        Optional<HealthCheck> healthCheck = r.value("health-check").flatMap(HealthCheckReader::read);
        if (healthCheck.isPresent() && upstreams.map(RouteConfigReader::anyHttp2).orElse(false)) {
            // Checks are HTTP/1.1 requests: an instance that speaks only HTTP/2 would fail every one.
            r.value("health-check").orElseThrow().problem("not available with h2c:// or h2:// upstreams (checks speak HTTP/1.1);"
                    + " outlier-detection watches their streams");
        }
        Optional<OutlierDetection> outlierDetection = OutlierDetectionReader.route(r, defaults.outlierDetection());
        Duration slowStart = r.value("slow-start").flatMap(SlowStartReader::read).orElse(defaults.slowStart());
        return r.build(() -> new RouteConfig(
                id.orElseThrow(), match.orElseThrow(), stripPrefix, upstreams.orElseThrow(), loadBalancing, timeouts,
                rateLimit, hedge, loadShedding, upgrades, retries, healthCheck, outlierDetection, slowStart));
    }

    /** A route's own quota may leave out {@code requests} or {@code window}; the global default's is used. */
    private static RouteRateLimit rateLimit(ConfigReader r, Optional<Quota> defaultQuota) {
        Optional<ConfigValueReader> value = r.value("rate-limit");
        if (value.isEmpty()) {
            return new RouteRateLimit.Inherit();
        }
        if (value.get().isString("off")) {
            return new RouteRateLimit.Off();
        }
        return value.get().object("off or " + QuotaReader.EXPECTED)
                .flatMap(q -> QuotaReader.read(q, defaultQuota))
                .<RouteRateLimit>map(RouteRateLimit.Limited::new)
                .orElse(new RouteRateLimit.Inherit());
    }

    private static boolean anyHttp2(List<URI> upstreams) {
        return upstreams.stream().anyMatch(uri -> uri.getScheme().equals("h2c") || uri.getScheme().equals("h2"));
    }
}
