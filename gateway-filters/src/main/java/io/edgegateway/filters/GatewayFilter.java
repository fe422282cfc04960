package io.edgegateway.filters;

import java.util.concurrent.CompletionStage;

/**
 * One step of a route's filter chain: continue with {@code next.proceed(ctx)}, or answer early by
 * returning {@link FilterOutcome#respond}.
 *
 * <p>The returned stage may complete on any thread; the server resumes the request on its own
 * event loop. A filter must never block: a decision that needs I/O returns a stage that completes
 * later.
 */
@FunctionalInterface
public interface GatewayFilter {

    CompletionStage<FilterOutcome> filter(FilterContext ctx, FilterChain next);
}
