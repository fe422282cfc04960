package io.edgegateway.server.routing;

import io.edgegateway.config.LoadSheddingConfig;
import io.edgegateway.config.RouteConfig;
import io.edgegateway.filters.FilterChain;
import io.edgegateway.filters.metrics.GatewayMetrics;
import io.netty.handler.codec.http.HttpMethod;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The routes of one configuration, longest path prefix first, so the first match is the most
 * specific. Immutable: a reload builds a new table and swaps it in.
 */
public final class RouteTable {

    /** Longest prefix first; on a tie, a route that names a host, then one that names methods. */
    private static final Comparator<Route> MOST_SPECIFIC_FIRST = Comparator
            .comparingInt(Route::prefixLength).reversed()
            .thenComparing(route -> route.config().match().host().isEmpty())
            .thenComparing(route -> route.config().match().methods().isEmpty());

    private final Route[] routes;

    private RouteTable(Route[] routes) {
        this.routes = routes;
    }

    public static RouteTable compile(List<RouteConfig> configs, GatewayMetrics metrics) {
        return compile(configs, metrics, config -> FilterChain.of(List.of()), Optional.empty());
    }

    /**
     * Routes whose filters {@code filtersFor} builds; {@code globalShedding} is the gateway's
     * {@code load-shedding}, for routes that do not say otherwise.
     */
    public static RouteTable compile(List<RouteConfig> configs, GatewayMetrics metrics,
            Function<RouteConfig, FilterChain> filtersFor, Optional<LoadSheddingConfig> globalShedding) {
        Route[] routes = configs.stream()
                .map(config -> new Route(config, metrics, filtersFor.apply(config), globalShedding))
                .sorted(MOST_SPECIFIC_FIRST)
                .toArray(Route[]::new);
        return new RouteTable(routes);
    }

    /** The most specific route for a request, or null when none matches; {@code hostHeader} as sent. */
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
