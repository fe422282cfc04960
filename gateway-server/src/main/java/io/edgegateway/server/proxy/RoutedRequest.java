package io.edgegateway.server.proxy;

import io.edgegateway.filters.FilterChain;
import io.edgegateway.filters.FilterContext;
import io.edgegateway.filters.FilterOutcome;
import io.edgegateway.server.routing.Route;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * A request that found its route: it runs the route's filters, then is forwarded (an
 * {@link Exchange}) or answered by the gateway, as the filters decide.
 */
final class RoutedRequest {

    private static final System.Logger LOG = System.getLogger(RoutedRequest.class.getName());
    /** {@link FilterOutcome#FORWARD_NOW} as a future; only read here. */
    private static final CompletableFuture<FilterOutcome> FORWARDED = CompletableFuture.completedFuture(FilterOutcome.FORWARD);

    private final ProxyFrontendHandler client;
    private final ProxyContext context;
    private final Route route;
    private final HttpRequest request;
    private final RequestTarget target;
    /** The Upgrade protocols the route lets through, or null for an ordinary request. */
    private final String upgrade;
    private final RequestRecord record;
    private final String clientIp;
    private final boolean hasBody;
    private final boolean keepAlive;

    RoutedRequest(ProxyFrontendHandler client, ProxyContext context, Route route, HttpRequest request,
            RequestTarget target, String upgrade, RequestRecord record, String clientIp, boolean hasBody, boolean keepAlive) {
        this.client = client;
        this.context = context;
        this.route = route;
        this.request = request;
        this.target = target;
        this.upgrade = upgrade;
        this.record = record;
        this.clientIp = clientIp;
        this.hasBody = hasBody;
        this.keepAlive = keepAlive;
    }

    void proceed() {
        FilterChain filters = route.filters();
        if (filters.isEmpty()) {
            forward(null);
            return;
        }
        EventLoop loop = client.eventLoop();
        FilterContext filterContext = new FilterContext(route.id(), request.method(), target.path(),
                request.headers(), clientIp, loop);
        CompletionStage<FilterOutcome> stage = filters.proceed(filterContext);
        // Every filter let it through at once: the shared stage, read without a copy of it.
        CompletableFuture<FilterOutcome> outcome = stage == FilterOutcome.FORWARD_NOW ? FORWARDED : stage.toCompletableFuture();
        if (outcome.isDone()) {
            afterFilters(filterContext, outcome);
        } else {
            outcome.whenComplete((done, error) -> {
                if (loop.inEventLoop()) {
                    afterFilters(filterContext, outcome);
                } else {
                    loop.execute(() -> afterFilters(filterContext, outcome));
                }
            });
        }
    }

    private void afterFilters(FilterContext filterContext, CompletableFuture<FilterOutcome> outcome) {
        record.admittedBy(filterContext.admission());
        if (!client.isActive()) {
            record.abandon();
            return;
        }
        FilterOutcome decided = decided(outcome);
        record.filtered(filterContext);
        if (decided == null) {
            client.answer(HttpResponseStatus.INTERNAL_SERVER_ERROR, "internal_error", record, true, null);
        } else if (decided instanceof FilterOutcome.Respond respond) {
            HttpHeaders extraHeaders = null;
            if (filterContext.hasResponseHeaders()) {
                extraHeaders = new DefaultHttpHeaders();
                filterContext.writeResponseHeaders(extraHeaders);
            }
            client.answer(respond.status(), respond.errorCode(), record, hasBody || !keepAlive, extraHeaders);
        } else {
            forward(filterContext.hasResponseHeaders() ? filterContext : null);
        }
    }

    /**
     * What the filters decided, or null when one failed (logged). The outcome is complete here, so
     * it is read in place: a {@code handle(...).join()} would cost a stage and a lambda per request.
     */
    private FilterOutcome decided(CompletableFuture<FilterOutcome> outcome) {
        if (!outcome.isCompletedExceptionally()) {
            return outcome.join();
        }
        try {
            outcome.join();
        } catch (CompletionException | CancellationException failure) {
            Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                    ? failure.getCause() : failure;
            LOG.log(System.Logger.Level.ERROR, "a filter of route " + route.id() + " failed", cause);
        }
        return null;
    }

    /** {@code responseFields}: whose fields go on the response, or null for none. */
    private void forward(FilterContext responseFields) {
        client.startExchange(new Exchange(client, context, route, request, target, upgrade, record, clientIp, hasBody,
                keepAlive, responseFields));
    }
}
