package io.edgegateway.filters.ratelimit;

import io.edgegateway.config.FailurePolicy;
import io.edgegateway.config.LimitMode;
import io.edgegateway.config.Quota;
import io.edgegateway.filters.FilterChain;
import io.edgegateway.filters.FilterContext;
import io.edgegateway.filters.FilterOutcome;
import io.edgegateway.filters.GatewayFilter;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.prometheus.client.Counter;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * Asks the store whether the caller may proceed on this route, and answers 429 when not.
 *
 * <p>Every limited response, allowed or denied, carries the quota and what is left of it. When the
 * store cannot decide, {@code on-store-failure} applies: forward (fail-open), answer 503
 * (fail-closed), or decide with this instance's share of the quota in memory (local). In shadow
 * mode everything is decided and counted, but nothing is denied.
 */
public final class RateLimitFilter implements GatewayFilter {

    /** The key of requests no identity source could name: they share one quota. */
    static final String ANONYMOUS = "anonymous";

    private final String routeId;
    private final Quota quota;
    private final Quota localShare;
    private final RateLimitStore store;
    private final RateLimitStore localStore;
    private final FailurePolicy onStoreFailure;
    private final boolean shadow;
    private final RateLimitHeaders headers;
    private final Decisions decisions;

    /** The counters of one route's decisions, one series per outcome. */
    public record Decisions(Counter.Child allowed, Counter.Child denied, Counter.Child failOpen,
            Counter.Child failClosed, Counter.Child localFallback) {

        public static Decisions of(Counter counter, String routeId) {
            return new Decisions(counter.labels(routeId, "allowed"), counter.labels(routeId, "denied"),
                    counter.labels(routeId, "fail_open"), counter.labels(routeId, "fail_closed"),
                    counter.labels(routeId, "local_fallback"));
        }
    }

    /**
     * @param localStore the in-memory store for {@code on-store-failure = local}; may be {@code store}
     *     itself when the store is local (then it never fails)
     * @param instances gateway instances sharing the quota; the local share is {@code requests / instances}
     */
    public RateLimitFilter(String routeId, Quota quota, RateLimitStore store, RateLimitStore localStore,
            FailurePolicy onStoreFailure, LimitMode mode, int instances, Decisions decisions) {
        this.routeId = routeId;
        this.quota = quota;
        this.localShare = quota.share(instances);
        this.store = store;
        this.localStore = localStore;
        this.onStoreFailure = onStoreFailure;
        this.shadow = mode == LimitMode.SHADOW;
        this.headers = new RateLimitHeaders(routeId, quota);
        this.decisions = decisions;
    }

    @Override
    public CompletionStage<FilterOutcome> filter(FilterContext ctx, FilterChain next) {
        String identity = ctx.identity() == null ? ANONYMOUS : ctx.identity();
        String key = routeId + ':' + identity;
        // The rest of the chain runs on the request's loop: at once when the decision completes there
        // (the in-memory store, and the Redis store whose connections live on the gateway's loops),
        // else handed over to it.
        return store.decide(key, quota).handle((d, error) -> ctx.eventLoop().inEventLoop()
                        ? afterStore(ctx, next, key, d, error)
                        : CompletableFuture.supplyAsync(() -> afterStore(ctx, next, key, d, error), ctx.eventLoop())
                                .thenCompose(Function.identity()))
                .thenCompose(Function.identity());
    }

    private CompletionStage<FilterOutcome> afterStore(FilterContext ctx, FilterChain next, String key,
            RateLimitDecision decision, Throwable error) {
        if (error == null) {
            (decision.allowed() ? decisions.allowed() : decisions.denied()).inc();
            ctx.limiterDecision(decision.allowed() ? "allowed" : "denied");
            return apply(ctx, next, decision);
        }
        return switch (onStoreFailure) {
            case FAIL_OPEN -> {
                decisions.failOpen().inc();
                ctx.limiterDecision("fail_open");
                yield next.proceed(ctx);
            }
            case FAIL_CLOSED -> {
                decisions.failClosed().inc();
                ctx.limiterDecision("fail_closed");
                if (shadow) {
                    yield next.proceed(ctx);
                }
                headers.retryAfter(ctx.responseHeaders(), 1);
                yield FilterOutcome.respond(HttpResponseStatus.SERVICE_UNAVAILABLE, "rate_limit_unavailable");
            }
            case LOCAL -> {
                decisions.localFallback().inc();
                ctx.limiterDecision("local_fallback");
                RateLimitDecision local = localStore.decide(key, localShare).toCompletableFuture().join();
                yield apply(ctx, next, local);
            }
        };
    }

    private CompletionStage<FilterOutcome> apply(FilterContext ctx, FilterChain next, RateLimitDecision decision) {
        ctx.responseFields(headers.fields(decision));
        if (decision.allowed() || shadow) {
            return next.proceed(ctx);
        }
        headers.retryAfter(ctx.responseHeaders(), decision.resetSeconds());
        return FilterOutcome.respond(HttpResponseStatus.TOO_MANY_REQUESTS, "rate_limited");
    }
}
