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
import java.util.concurrent.RejectedExecutionException;
import java.util.function.BiConsumer;

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
        CompletableFuture<RateLimitDecision> decision = store.decide(key, quota).toCompletableFuture();
        if (decision.isDone() && !decision.isCompletedExceptionally() && ctx.eventLoop().inEventLoop()) {
            // Decided at once (the in-memory store, a cached denial): the chain goes on in this call.
            try {
                return afterStore(ctx, next, key, decision.join(), null);
            } catch (RuntimeException | Error e) {
                return CompletableFuture.failedFuture(e);
            }
        }
        AfterDecision rest = new AfterDecision(ctx, next, key);
        decision.whenComplete(rest);
        return rest;
    }

    /**
     * The chain after a decision still to come: the filter's stage, completed with the rest of the
     * chain's outcome. The rest runs on the request's loop: at once when the decision completes
     * there (the Redis store's connections live on the gateway's loops), else handed over to it.
     */
    private final class AfterDecision extends CompletableFuture<FilterOutcome>
            implements BiConsumer<RateLimitDecision, Throwable>, Runnable {

        private final FilterContext ctx;
        private final FilterChain next;
        private final String key;
        /** The decision or failure, kept for {@link #run} when it arrived on another thread. */
        private RateLimitDecision decision;
        private Throwable error;

        AfterDecision(FilterContext ctx, FilterChain next, String key) {
            this.ctx = ctx;
            this.next = next;
            this.key = key;
        }

        @Override
        public void accept(RateLimitDecision decision, Throwable error) {
            if (ctx.eventLoop().inEventLoop()) {
                finish(decision, error);
            } else {
                this.decision = decision;
                this.error = error;
                try {
                    ctx.eventLoop().execute(this);
                } catch (RejectedExecutionException shuttingDown) {
                    completeExceptionally(shuttingDown);
                }
            }
        }

        @Override
        public void run() {
            finish(decision, error);
        }

        private void finish(RateLimitDecision decision, Throwable error) {
            CompletionStage<FilterOutcome> outcome;
            try {
                outcome = afterStore(ctx, next, key, decision, error);
            } catch (RuntimeException | Error e) {
                completeExceptionally(e);
                return;
            }
            if (outcome == FilterOutcome.FORWARD_NOW) {
                complete(FilterOutcome.FORWARD);
            } else {
                outcome.whenComplete((done, failure) -> {
                    if (failure != null) {
                        completeExceptionally(failure);
                    } else {
                        complete(done);
                    }
                });
            }
        }
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
