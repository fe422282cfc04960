package io.edgegateway.server.routing;

import io.edgegateway.config.GatewayConfig;
import io.edgegateway.config.Quota;
import io.edgegateway.config.RateLimitConfig;
import io.edgegateway.config.RouteConfig;
import io.edgegateway.filters.FilterChain;
import io.edgegateway.filters.identity.IdentityFilter;
import io.edgegateway.filters.identity.IdentityResolver;
import io.edgegateway.filters.metrics.GatewayMetrics;
import io.edgegateway.filters.ratelimit.RateLimitFilter;
import io.edgegateway.filters.ratelimit.LocalShareStore;
import io.edgegateway.filters.ratelimit.RateLimitStore;
import java.util.List;
import java.util.Optional;
import java.util.function.IntSupplier;

/**
 * Builds each route's filter chain from one configuration. A route with a quota (its own or the
 * default) gets identity then rate limiting; a route without one forwards with no filter at all,
 * so it pays nothing for them.
 */
public final class RouteFilters {

    private final RateLimitConfig rateLimit;
    private final IdentityFilter identity;
    private final RateLimitStore store;
    private final RateLimitStore localStore;
    private final GatewayMetrics metrics;
    /** The in-memory store, deciding with the live share, when {@code rate-limit.instances = auto}. */
    private final RateLimitStore liveShareStore;

    /**
     * @param store where decisions are made ({@code rate-limit.store})
     * @param localStore the in-memory store, for {@code on-store-failure = local} (the same object
     *     as {@code store} when the store is local)
     */
    public RouteFilters(GatewayConfig config, RateLimitStore store, RateLimitStore localStore, GatewayMetrics metrics) {
        this(config, store, localStore, () -> 1, metrics);
    }

    /**
     * @param liveInstances the gateways sharing the limits, for {@code rate-limit.instances = auto}
     *     (counted from heartbeats in the store)
     */
    public RouteFilters(GatewayConfig config, RateLimitStore store, RateLimitStore localStore,
            IntSupplier liveInstances, GatewayMetrics metrics) {
        this.rateLimit = config.rateLimit();
        this.identity = new IdentityFilter(new IdentityResolver(config.identity()));
        this.store = store;
        this.localStore = localStore;
        this.metrics = metrics;
        this.liveShareStore = rateLimit.instances().isPresent() ? null : new LocalShareStore(localStore, liveInstances);
    }

    public FilterChain forRoute(RouteConfig route) {
        Optional<Quota> quota = route.rateLimit().effective(rateLimit.defaultQuota());
        if (quota.isEmpty()) {
            return FilterChain.of(List.of());
        }
        // With instances = auto the filter's own share is the whole quota, and the live share is the store's.
        RateLimitFilter limit = new RateLimitFilter(route.id(), quota.get(), store,
                liveShareStore == null ? localStore : liveShareStore,
                rateLimit.onStoreFailure(), rateLimit.mode(), rateLimit.instances().orElse(1),
                RateLimitFilter.Decisions.of(metrics.rateLimitDecisions, route.id()));
        return FilterChain.of(List.of(identity, limit));
    }
}
