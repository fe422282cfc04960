package io.edgegateway.filters.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.edgegateway.config.Algorithm;
import io.edgegateway.config.FailurePolicy;
import io.edgegateway.config.LimitMode;
import io.edgegateway.config.Quota;
import io.edgegateway.filters.FilterChain;
import io.edgegateway.filters.FilterContext;
import io.edgegateway.filters.FilterOutcome;
import io.edgegateway.filters.GatewayFilter;
import io.edgegateway.filters.metrics.GatewayMetrics;
import io.edgegateway.filters.ratelimit.local.IdentityBudget;
import io.edgegateway.filters.ratelimit.local.LocalRateLimitStore;
import io.netty.channel.DefaultEventLoop;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ImmediateEventExecutor;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * How the filter goes on after a decision: on which thread, and what becomes of a failure after it.
 * A stage left pending would hang a join, so each test waits for it to end before looking at how.
 */
class RateLimitFilterTest {

    private static final Quota QUOTA = new Quota(10, Duration.ofSeconds(60));

    private final LocalRateLimitStore local = new LocalRateLimitStore(Algorithm.SLIDING_LOG, () -> 1_000, IdentityBudget.of(100));
    private final DefaultEventLoop loop = new DefaultEventLoop();

    @AfterEach
    void close() throws InterruptedException {
        local.close();
        loop.shutdownGracefully(0, 0, TimeUnit.SECONDS).await(10, TimeUnit.SECONDS);
    }

    @Test
    void aFilterThatThrowsAfterADecisionMadeAtOnceFailsTheStageInsteadOfThrowing() {
        GatewayFilter throwing = (ctx, next) -> {
            throw new IllegalStateException("a later filter broke");
        };
        CompletionStage<FilterOutcome> outcome = FilterChain.of(List.of(limiter(local), throwing))
                .proceed(context(ImmediateEventExecutor.INSTANCE));

        assertThatThrownBy(() -> outcome.toCompletableFuture().join())
                .isInstanceOf(CompletionException.class).hasRootCauseMessage("a later filter broke");
    }

    @Test
    void aDecisionCompletedOnAnotherThreadGoesOnOnTheRequestsLoop() {
        CompletableFuture<RateLimitDecision> decision = new CompletableFuture<>();
        AtomicReference<Thread> ranOn = new AtomicReference<>();
        GatewayFilter recording = (ctx, next) -> {
            ranOn.set(Thread.currentThread());
            return next.proceed(ctx);
        };
        CompletionStage<FilterOutcome> outcome = FilterChain.of(List.of(limiter(storeAnswering(decision)), recording))
                .proceed(context(loop));

        decision.complete(RateLimitDecision.allowed(10, 9, 60));

        await().until(() -> outcome.toCompletableFuture().isDone());
        assertThat(outcome.toCompletableFuture().join()).isSameAs(FilterOutcome.FORWARD);
        assertThat(loop.submit(() -> ranOn.get() == Thread.currentThread()).syncUninterruptibly().getNow()).isTrue();
    }

    @Test
    void aLoopThatRefusesTheRestFailsTheStage() throws InterruptedException {
        CompletableFuture<RateLimitDecision> decision = new CompletableFuture<>();
        CompletionStage<FilterOutcome> outcome = FilterChain.of(List.of(limiter(storeAnswering(decision))))
                .proceed(context(loop));
        loop.shutdownGracefully(0, 0, TimeUnit.SECONDS).await(10, TimeUnit.SECONDS);

        decision.complete(RateLimitDecision.allowed(10, 9, 60));

        await().until(() -> outcome.toCompletableFuture().isDone());
        assertThatThrownBy(() -> outcome.toCompletableFuture().join()).hasCauseInstanceOf(RejectedExecutionException.class);
    }

    private static RateLimitFilter limiter(RateLimitStore store) {
        return new RateLimitFilter("users", QUOTA, store, store, FailurePolicy.FAIL_OPEN, LimitMode.ENFORCE, 1,
                RateLimitFilter.Decisions.of(new GatewayMetrics().rateLimitDecisions, "users"));
    }

    private static FilterContext context(EventExecutor loop) {
        return new FilterContext("users", HttpMethod.GET, "/", new DefaultHttpHeaders().add("X-API-Key", "k"),
                "192.0.2.1", loop);
    }

    /** A store whose decisions are {@code decision}, completed by the test on its own thread. */
    private static RateLimitStore storeAnswering(CompletableFuture<RateLimitDecision> decision) {
        return new RateLimitStore() {
            @Override
            public CompletionStage<RateLimitDecision> decide(String key, Quota quota) {
                return decision;
            }

            @Override
            public void close() {
            }
        };
    }
}
