package io.edgegateway.server.routing;

import io.edgegateway.config.RouteConfig;
import io.edgegateway.server.upstream.UpstreamAddress;
import io.edgegateway.server.upstream.UpstreamBalancer;
import io.netty.handler.codec.http.HttpMethod;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/** A route compiled from its configuration: what it matches and where it forwards. */
public final class Route {

    private final RouteConfig config;
    private final PathPrefix prefix;
    private final Optional<String> host;
    private final Set<String> methods;
    private final List<UpstreamAddress> upstreams;
    private final UpstreamBalancer balancer;
    private final long responseTimeoutNanos;
    private final int connectTimeoutMillis;

    public Route(RouteConfig config) {
        this.config = config;
        this.prefix = new PathPrefix(config.match().pathPrefix());
        this.host = config.match().host();
        this.methods = config.match().methods();
        this.upstreams = config.upstreams().stream().map(UpstreamAddress::of).toList();
        this.balancer = UpstreamBalancer.of(config.loadBalancing());
        this.responseTimeoutNanos = config.timeouts().response().toNanos();
        this.connectTimeoutMillis = (int) Math.min(Integer.MAX_VALUE, config.timeouts().connect().toMillis());
    }

    boolean matches(String requestHost, HttpMethod method, String path) {
        if (!prefix.matches(path)) {
            return false;
        }
        if (!methods.isEmpty() && !methods.contains(method.name())) {
            return false;
        }
        return host.isEmpty() || host.get().equals(requestHost);
    }

    int prefixLength() {
        return prefix.length();
    }

    /** The path to send upstream: the prefix removed when the route says {@code strip-prefix}. */
    public String upstreamPath(String path) {
        return config.stripPrefix() ? prefix.strip(path) : path;
    }

    public String id() {
        return config.id();
    }

    public RouteConfig config() {
        return config;
    }

    public List<UpstreamAddress> upstreams() {
        return upstreams;
    }

    public UpstreamBalancer balancer() {
        return balancer;
    }

    public long responseTimeoutNanos() {
        return responseTimeoutNanos;
    }

    public int connectTimeoutMillis() {
        return connectTimeoutMillis;
    }

    /** The host part of a {@code Host} header value, lower-cased, without port. */
    public static String hostWithoutPort(String hostHeader) {
        if (hostHeader == null) {
            return "";
        }
        int end = hostHeader.length();
        if (hostHeader.startsWith("[")) {
            int close = hostHeader.indexOf(']');
            end = close < 0 ? end : close + 1;
        } else {
            int colon = hostHeader.lastIndexOf(':');
            end = colon < 0 ? end : colon;
        }
        return hostHeader.substring(0, end).toLowerCase(Locale.ROOT);
    }
}
