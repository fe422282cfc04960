package io.edgegateway.config;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** The whole {@code gateway} section of a configuration file, validated. */
public record GatewayConfig(
        ListenConfig listen,
        Endpoint admin,
        Duration shutdownGrace,
        Limits limits,
        UpstreamDefaults upstream,
        IdentityConfig identity,
        RateLimitConfig rateLimit,
        Optional<LoadSheddingConfig> loadShedding,
        List<RouteConfig> routes,
        AccessLogConfig accessLog,
        PathsConfig paths,
        EventLoopsConfig eventLoops,
        TracingConfig tracing) {

    public GatewayConfig {
        Objects.requireNonNull(listen, "listen");
        Objects.requireNonNull(admin, "admin");
        Objects.requireNonNull(shutdownGrace, "shutdownGrace");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(upstream, "upstream");
        Objects.requireNonNull(identity, "identity");
        Objects.requireNonNull(rateLimit, "rateLimit");
        Objects.requireNonNull(loadShedding, "loadShedding");
        routes = List.copyOf(routes);
        Objects.requireNonNull(accessLog, "accessLog");
        Objects.requireNonNull(paths, "paths");
        Objects.requireNonNull(eventLoops, "eventLoops");
        Objects.requireNonNull(tracing, "tracing");
    }
}
