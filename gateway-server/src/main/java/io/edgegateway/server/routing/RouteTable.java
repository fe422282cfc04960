package io.edgegateway.server.routing;

import io.edgegateway.config.LoadSheddingConfig;
import io.edgegateway.config.PathsConfig;
import io.edgegateway.config.RouteConfig;
import io.edgegateway.filters.FilterChain;
import io.edgegateway.filters.metrics.GatewayMetrics;
import io.edgegateway.filters.shed.LoadShedder;
import io.edgegateway.server.upstream.UpstreamCluster;
import io.edgegateway.server.upstream.UpstreamRegistry;
import io.netty.handler.codec.http.HttpMethod;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * The routes of one configuration, longest path prefix first, so the first match is the most
 * specific, and how request paths are normalised before they are matched ({@code gateway.paths},
 * which reloads with the routes). Immutable: a reload builds a new table and swaps it in.
 */
public final class RouteTable {

    /** Longest prefix first; on a tie, a route that names a host, then one that names methods. */
    private static final Comparator<Route> MOST_SPECIFIC_FIRST = Comparator
            .comparingInt(Route::prefixLength).reversed()
            .thenComparing(route -> route.config().match().host().isEmpty())
            .thenComparing(route -> route.config().match().methods().isEmpty());

    private final Route[] routes;
    private final PathNormalizer normalizer;

    private RouteTable(Route[] routes, PathNormalizer normalizer) {
        this.routes = routes;
        this.normalizer = normalizer;
    }

    public static RouteTable compile(List<RouteConfig> configs, GatewayMetrics metrics) {
        UpstreamRegistry upstreams = new UpstreamRegistry(metrics);
        return compile(configs, metrics, (config, shedder) -> FilterChain.of(List.of()), Optional.empty(), PathsConfig.DEFAULTS,
                upstreams::clusterFor, null);
    }

    /**
     * Routes whose filters {@code filtersFor} builds (given the route's shedder, or null) and whose instances {@code clusterFor} keeps;
     * {@code globalShedding} is the gateway's {@code load-shedding}, for routes that do not say otherwise.
     * A route of {@code previous} (the table a reload replaces; null at start) whose id stays hands
     * the new one its live latency window, hedge budget and shedder ({@link RouteLiveState}).
     */
    public static RouteTable compile(List<RouteConfig> configs, GatewayMetrics metrics,
            BiFunction<RouteConfig, LoadShedder, FilterChain> filtersFor, Optional<LoadSheddingConfig> globalShedding,
            PathsConfig paths, Function<RouteConfig, UpstreamCluster> clusterFor, RouteTable previous) {
        Map<String, Route> before = new HashMap<>();
        if (previous != null) {
            for (Route route : previous.routes) {
                before.put(route.id(), route);
            }
        }
        List<PathPrefix> prefixes = configs.stream()
                .map(config -> new PathPrefix(config.match().pathPrefix(), !paths.caseSensitive()))
                .toList();
        List<Route> routes = new ArrayList<>(configs.size());
        for (int i = 0; i < configs.size(); i++) {
            RouteConfig config = configs.get(i);
            routes.add(new Route(config, prefixes.get(i), headFollowsGet(i, configs, prefixes), metrics,
                    filtersFor, globalShedding, clusterFor.apply(config), before.get(config.id())));
        }
        return new RouteTable(routes.stream().sorted(MOST_SPECIFIC_FIRST).toArray(Route[]::new),
                new PathNormalizer(paths));
    }

    /**
     * HEAD is GET without the body (RFC 9110 §9.3.2), so it goes where GET goes, and counts against
     * GET's limit: a route naming GET takes HEAD too, unless a route with the same prefix and host
     * names HEAD itself.
     */
    private static boolean headFollowsGet(int index, List<RouteConfig> configs, List<PathPrefix> prefixes) {
        RouteConfig route = configs.get(index);
        if (!route.match().methods().contains("GET") || route.match().methods().contains("HEAD")) {
            return false;
        }
        for (int i = 0; i < configs.size(); i++) {
            RouteConfig other = configs.get(i);
            if (i != index && other.match().methods().contains("HEAD") && prefixes.get(i).sameAs(prefixes.get(index))
                    && other.match().host().equals(route.match().host())) {
                return false;
            }
        }
        return true;
    }

    /** How request paths are brought to the one spelling routes are matched against. */
    public PathNormalizer normalizer() {
        return normalizer;
    }

    /**
     * The most specific route for a request, or null when none matches; {@code hostHeader} as sent (or
     * an absolute-form target's authority), {@code path} normalised by {@link #normalizer()}.
     */
    public Route match(String hostHeader, HttpMethod method, String path) {
        for (Route route : routes) {
            if (route.matches(hostHeader, method, path)) {
                return route;
            }
        }
        return null;
    }

    public List<Route> routes() {
        return List.of(routes);
    }
}
