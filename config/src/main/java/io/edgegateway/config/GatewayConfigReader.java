package io.edgegateway.config;

import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigValueType;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/** Reads the {@code gateway} object: its small sections here, the larger ones through their own readers. */
final class GatewayConfigReader {

    static final String ROOT = "gateway";

    private static final Set<String> KEYS = Set.of(
            "listen", "admin", "shutdown-grace", "limits", "upstream", "identity", "rate-limit",
            "load-shedding", "route-defaults", "routes", "access-log", "paths", "transport", "event-loops",
            "tracing");
    private static final Duration POSITIVE = Duration.ofNanos(1);
    /** Bodies are buffered in memory: more than this per request is a mistake, not a setting. */
    private static final long MAX_BUFFERED_BODY = 16L * 1024 * 1024;

    private GatewayConfigReader() {
    }

    /**
     * Root keys other than {@code gateway} are allowed (HOCON files define values there to substitute
     * elsewhere), but one that looks like a misspelled {@code gateway} would silently be ignored.
     */
    static void checkRootKeys(ConfigObject userRoot, Problems problems) {
        for (String key : userRoot.keySet()) {
            if (!key.equals(ROOT) && DidYouMean.closest(key, Set.of(ROOT)).isPresent()) {
                problems.add(userRoot.get(key).origin(), key + ": unknown key (did you mean `" + ROOT + "`?)");
            }
        }
    }

    static Optional<GatewayConfig> read(ConfigObject root, Problems problems) {
        ConfigReader top = new ConfigReader(root, "", problems);
        top.require(ROOT, "an object");
        return top.object(ROOT).flatMap(GatewayConfigReader::gateway);
    }

    private static Optional<GatewayConfig> gateway(ConfigReader g) {
        g.rejectUnknownKeys(KEYS);
        for (String section : Set.of("listen", "admin", "limits", "upstream", "identity", "rate-limit", "route-defaults",
                "access-log", "paths", "tracing")) {
            g.require(section, "an object { ... }");
        }
        g.require("shutdown-grace", ConfigValueReader.DURATION);
        g.require("routes", "a list of routes");
        Optional<ListenConfig> listen = g.object("listen").flatMap(ListenConfigReader::read);
        Optional<Endpoint> admin = g.object("admin").flatMap(GatewayConfigReader::endpoint);
        Optional<Duration> shutdownGrace = g.duration("shutdown-grace", Duration.ZERO);
        Optional<Limits> limits = g.object("limits").flatMap(GatewayConfigReader::limits);
        Optional<UpstreamDefaults> upstream = g.object("upstream").flatMap(GatewayConfigReader::upstream);
        Optional<AccessLogConfig> accessLog = g.object("access-log").flatMap(GatewayConfigReader::accessLog);
        Optional<PathsConfig> paths = g.object("paths").flatMap(PathsConfigReader::read);
        Optional<EventLoopsConfig> eventLoops = eventLoops(g);
        Optional<TracingConfig> tracing = g.object("tracing").flatMap(TracingConfigReader::read);
        // Headers with "_" dropped or refused before identity is read cannot name an identity either.
        boolean underscoresReachIdentity = limits.map(l -> l.headersWithUnderscores() == UnderscoreHeaders.ALLOW)
                .orElse(true);
        Optional<IdentityConfig> identity = g.object("identity")
                .flatMap(r -> IdentityConfigReader.read(r, underscoresReachIdentity));
        Optional<RateLimitConfig> rateLimit = g.object("rate-limit").flatMap(RateLimitConfigReader::read);
        Optional<LoadSheddingConfig> loadShedding = LoadSheddingReader.global(g);
        RouteDefaults routeDefaults = g.object("route-defaults")
                .flatMap(RouteDefaults::read)
                .orElse(RouteDefaults.PLACEHOLDER)
                .inheriting(rateLimit.flatMap(RateLimitConfig::defaultQuota), loadShedding,
                        upstream.flatMap(UpstreamDefaults::outlierDetection),
                        upstream.map(UpstreamDefaults::slowStart).orElse(Duration.ZERO));
        Optional<List<RouteConfig>> routes = g.value("routes").flatMap(v -> RouteListReader.read(v, routeDefaults));
        return g.build(() -> new GatewayConfig(
                listen.orElseThrow(), admin.orElseThrow(), shutdownGrace.orElseThrow(), limits.orElseThrow(),
                upstream.orElseThrow(), identity.orElseThrow(), rateLimit.orElseThrow(), loadShedding, routes.orElseThrow(),
                accessLog.orElseThrow(), paths.orElseThrow(), eventLoops.orElseThrow(), tracing.orElseThrow()));
    }

    private static Optional<EventLoopsConfig> eventLoops(ConfigReader g) {
        String expected = "auto or an integer >= 1";
        g.require("transport", "one of auto, io-uring, epoll, nio");
        g.require("event-loops", expected);
        Optional<TransportChoice> transport = g.choice("transport", TransportChoice.class);
        Optional<OptionalInt> count = g.value("event-loops").flatMap(v -> {
            if (v.isString("auto")) {
                return Optional.of(OptionalInt.empty());
            }
            if (v.value().valueType() != ConfigValueType.NUMBER) {
                v.invalid(expected);
                return Optional.empty();
            }
            return v.intValue(1, 4096).map(OptionalInt::of);
        });
        return transport.isPresent() && count.isPresent()
                ? Optional.of(new EventLoopsConfig(transport.get(), count.get()))
                : Optional.empty();
    }

    private static Optional<Endpoint> endpoint(ConfigReader r) {
        r.rejectUnknownKeys(Set.of("host", "port"));
        r.require("host", "a host name or address");
        r.require("port", "a port number");
        Optional<String> host = r.nonEmptyString("host", "a host name or address");
        Optional<Integer> port = r.intValue("port", 0, 65535);
        return r.build(() -> new Endpoint(host.orElseThrow(), port.orElseThrow()));
    }

    private static Optional<Limits> limits(ConfigReader r) {
        r.rejectUnknownKeys(Set.of("max-header-bytes", "max-body-bytes", "idle-timeout", "header-timeout",
                "min-body-rate", "buffer-body-below", "headers-with-underscores", "max-event-loop-lag",
                "max-connections", "max-connections-per-client"));
        r.require("max-header-bytes", ConfigValueReader.SIZE);
        r.require("max-body-bytes", ConfigValueReader.SIZE);
        r.require("idle-timeout", ConfigValueReader.DURATION);
        r.require("header-timeout", ConfigValueReader.DURATION);
        r.require("min-body-rate", MinBodyRateReader.EXPECTED);
        r.require("buffer-body-below", ConfigValueReader.SIZE);
        r.require("headers-with-underscores", "one of drop, allow, reject");
        r.require("max-event-loop-lag", ConfigValueReader.DURATION);
        r.require("max-connections", "an integer > 0");
        r.require("max-connections-per-client", "an integer >= 0 (0: no bound)");
        Optional<Long> maxHeaderBytes = r.bytes("max-header-bytes", 1, Integer.MAX_VALUE);
        Optional<Long> maxBodyBytes = r.bytes("max-body-bytes", 0, Long.MAX_VALUE);
        Optional<Duration> idleTimeout = r.duration("idle-timeout", POSITIVE);
        Optional<Duration> headerTimeout = r.duration("header-timeout", POSITIVE);
        Optional<MinBodyRate> minBodyRate = r.value("min-body-rate").flatMap(MinBodyRateReader::read);
        Optional<Long> bufferBodyBelow = r.bytes("buffer-body-below", 0, MAX_BUFFERED_BODY);
        Optional<UnderscoreHeaders> underscores = r.choice("headers-with-underscores", UnderscoreHeaders.class);
        Optional<Duration> maxLag = r.duration("max-event-loop-lag", Duration.ZERO);
        Optional<Integer> maxConnections = r.intValue("max-connections", 1, Integer.MAX_VALUE);
        Optional<Integer> perClient = r.intValue("max-connections-per-client", 0, Integer.MAX_VALUE);
        return r.build(() -> new Limits(maxHeaderBytes.orElseThrow().intValue(), maxBodyBytes.orElseThrow(),
                idleTimeout.orElseThrow(), headerTimeout.orElseThrow(), minBodyRate.orElseThrow(),
                bufferBodyBelow.orElseThrow(), underscores.orElseThrow(), maxLag.orElseThrow(),
                maxConnections.orElseThrow(), perClient.orElseThrow()));
    }

    private static Optional<UpstreamDefaults> upstream(ConfigReader r) {
        r.rejectUnknownKeys(Set.of("max-connections", "max-pending", "idle-timeout", "trust-file", "outlier-detection",
                "dns-refresh", "slow-start", "h2"));
        r.require("max-connections", "an integer > 0");
        r.require("h2", "an object { max-concurrent-streams = N }");
        r.require("max-pending", "an integer >= 0");
        r.require("idle-timeout", ConfigValueReader.DURATION);
        r.require("dns-refresh", ConfigValueReader.DURATION);
        r.require("slow-start", SlowStartReader.EXPECTED);
        Optional<Integer> maxConnections = r.intValue("max-connections", 1, Integer.MAX_VALUE);
        Optional<Integer> maxPending = r.intValue("max-pending", 0, Integer.MAX_VALUE);
        Optional<Duration> idleTimeout = r.duration("idle-timeout", POSITIVE);
        Optional<Optional<Path>> trustFile = r.has("trust-file")
                ? r.value("trust-file").flatMap(PemFileReader::certificates).map(Optional::of)
                : Optional.of(Optional.empty());
        Optional<Optional<OutlierDetection>> outlierDetection = OutlierDetectionReader.global(r);
        Optional<Duration> dnsRefresh = r.duration("dns-refresh", POSITIVE);
        Optional<Duration> slowStart = r.value("slow-start").flatMap(SlowStartReader::read);
        Optional<Integer> h2Streams = r.object("h2").flatMap(GatewayConfigReader::upstreamHttp2);
        return r.build(() -> new UpstreamDefaults(maxConnections.orElseThrow(), maxPending.orElseThrow(), idleTimeout.orElseThrow(),
                trustFile.orElseThrow(), outlierDetection.orElseThrow(), dnsRefresh.orElseThrow(), slowStart.orElseThrow(),
                h2Streams.orElseThrow()));
    }

    /** {@code upstream.h2}: the streams one HTTP/2 connection to an instance carries at once. */
    private static Optional<Integer> upstreamHttp2(ConfigReader r) {
        r.rejectUnknownKeys(Set.of("max-concurrent-streams"));
        r.require("max-concurrent-streams", "an integer > 0");
        return r.intValue("max-concurrent-streams", 1, Integer.MAX_VALUE);
    }

    private static Optional<AccessLogConfig> accessLog(ConfigReader r) {
        r.rejectUnknownKeys(Set.of("enabled", "path", "queue-size", "identity", "identity-salt"));
        r.require("enabled", "true or false");
        r.require("path", "a file path, or - for standard output");
        r.require("queue-size", "an integer > 0");
        r.require("identity", "hash, redact or plain");
        Optional<Boolean> enabled = r.bool("enabled");
        Optional<String> path = r.nonEmptyString("path", "a file path, or - for standard output");
        Optional<Integer> queueSize = r.intValue("queue-size", 1, Integer.MAX_VALUE);
        Optional<IdentityInLog> identity = r.choice("identity", IdentityInLog.class);
        Optional<Optional<String>> salt = r.has("identity-salt")
                ? r.nonEmptyString("identity-salt", "a non-empty secret").map(Optional::of)
                : Optional.of(Optional.empty());
        return r.build(() -> new AccessLogConfig(enabled.orElseThrow(), path.orElseThrow(), queueSize.orElseThrow(),
                identity.orElseThrow(), salt.orElseThrow()));
    }
}
