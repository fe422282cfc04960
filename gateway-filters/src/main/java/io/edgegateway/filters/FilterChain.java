package io.edgegateway.filters;

import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * A route's filters in order. The position of a request in the chain lives in its context, so
 * running the chain allocates nothing of its own.
 */
public final class FilterChain {

    private static final FilterChain EMPTY = new FilterChain(List.of());

    private final GatewayFilter[] filters;

    private FilterChain(List<GatewayFilter> filters) {
        this.filters = filters.toArray(GatewayFilter[]::new);
    }

    public static FilterChain of(List<GatewayFilter> filters) {
        return filters.isEmpty() ? EMPTY : new FilterChain(filters);
    }

    public boolean isEmpty() {
        return filters.length == 0;
    }

    /** Runs the next filter for {@code ctx}, or ends the chain with {@link FilterOutcome#FORWARD}. */
    public CompletionStage<FilterOutcome> proceed(FilterContext ctx) {
        int index = ctx.advance();
        return index < filters.length ? filters[index].filter(ctx, this) : FilterOutcome.FORWARD_NOW;
    }
}
