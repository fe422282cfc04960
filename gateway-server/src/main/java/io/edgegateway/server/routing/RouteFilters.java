package io.edgegateway.server.routing;

import io.edgegateway.config.GatewayConfig;
import io.edgegateway.config.LoadSheddingConfig;
import io.edgegateway.config.Quota;
import io.edgegateway.config.RateLimitConfig;
import io.edgegateway.config.RouteConfig;
import io.edgegateway.filters.FilterChain;
import io.edgegateway.filters.GatewayFilter;
import io.edgegateway.filters.identity.IdentityFilter;
import io.edgegateway.filters.identity.IdentityResolver;
import io.edgegateway.filters.identity.JwksRegistry;
import io.edgegateway.filters.identity.TrustedProxies;
import io.edgegateway.filters.metrics.GatewayMetrics;
import io.edgegateway.filters.ratelimit.RateLimitFilter;
import io.edgegateway.filters.ratelimit.LocalShareStore;
import io.edgegateway.filters.ratelimit.RateLimitStore;
import io.edgegateway.filters.shed.AdmissionFilter;
import io.edgegateway.filters.shed.LoadShedder;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.IntSupplier;

/**
 * Builds each route's filter chain from one configuration: identity (when a quota or the shedder's
 * identity priorities need it), admission to the route's shedder (when it sheds), then rate limiting
 * (when it has a quota, its own or the default). A route with none of them forwards with no filter
 * at all, so it pays nothing for them.
 */
public final class RouteFilters {

    private final RateLimitConfig rateLimit;
    private final Optional<LoadSheddingConfig> globalShedding;
    private final TrustedProxies trustedProxies;
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
        this(config, store, localStore, () -> 1, metrics, null);
    }

    /**
     * @param liveInstances the gateways sharing the limits, for {@code rate-limit.instances = auto}
     *     (counted from heartbeats in the store)
     * @param jwks where jwt sources with a {@code jwks-url} keep their key sets; null when none has one
     */
    public RouteFilters(GatewayConfig config, RateLimitStore store, RateLimitStore localStore,
            IntSupplier liveInstances, GatewayMetrics metrics, JwksRegistry jwks) {
        this.rateLimit = config.rateLimit();
        this.globalShedding = config.loadShedding();
        this.trustedProxies = TrustedProxies.of(config.identity());
        this.identity = new IdentityFilter(new IdentityResolver(config.identity(), jwks));
        this.store = store;
        this.localStore = localStore;
        this.metrics = metrics;
        this.liveShareStore = rateLimit.instances().isPresent() ? null : new LocalShareStore(localStore, liveInstances);
    }

    /** {@code shedder} is the route's, or null when it never sheds. */
    public FilterChain forRoute(RouteConfig route, LoadShedder shedder) {
        Optional<Quota> quota = route.rateLimit().effective(rateLimit.defaultQuota());
        Optional<LoadSheddingConfig> shedding = shedder == null ? Optional.empty()
                : route.loadShedding().effective(globalShedding);
        List<GatewayFilter> chain = new ArrayList<>(3);
        if (quota.isPresent() || shedding.filter(s -> !s.priorities().isEmpty()).isPresent()) {
            chain.add(identity);
        }
        shedding.ifPresent(s -> chain.add(new AdmissionFilter(shedder, s, trustedProxies,
                metrics.forRoute(route.id()))));
        quota.ifPresent(q -> chain.add(limiter(route, q)));
        return FilterChain.of(chain);
    }

    private RateLimitFilter limiter(RouteConfig route, Quota quota) {
        // With instances = auto the filter's own share is the whole quota, and the live share is the store's.
        return new RateLimitFilter(route.id(), quota, store,
                liveShareStore == null ? localStore : liveShareStore,
                rateLimit.onStoreFailure(), rateLimit.mode(), rateLimit.instances().orElse(1),
                RateLimitFilter.Decisions.of(metrics.rateLimitDecisions, route.id()));
    }
}
