package io.edgegateway.server.proxy;

import io.edgegateway.filters.FilterChain;
import io.edgegateway.filters.FilterContext;
import io.edgegateway.filters.FilterOutcome;
import io.edgegateway.server.routing.Route;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.concurrent.CompletableFuture;

/**
 * A request that found its route: it runs the route's filters, then is forwarded (an
 * {@link Exchange}) or answered by the gateway, as the filters decide.
 */
final class RoutedRequest {

    private static final System.Logger LOG = System.getLogger(RoutedRequest.class.getName());

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
        CompletableFuture<FilterOutcome> outcome = filters.proceed(filterContext).toCompletableFuture();
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
        HttpHeaders extraHeaders = filterContext.hasResponseHeaders() ? filterContext.responseHeaders() : null;
        FilterOutcome decided = outcome.handle((done, error) -> {
            if (error != null) {
                LOG.log(System.Logger.Level.ERROR, "a filter of route " + route.id() + " failed", error);
            }
            return done;
        }).join();
        record.filtered(filterContext);
        if (decided == null) {
            client.answer(HttpResponseStatus.INTERNAL_SERVER_ERROR, "internal_error", record, true, null);
        } else if (decided instanceof FilterOutcome.Respond respond) {
            client.answer(respond.status(), respond.errorCode(), record, hasBody || !keepAlive, extraHeaders);
        } else {
            forward(extraHeaders);
        }
    }

    private void forward(HttpHeaders extraResponseHeaders) {
        client.startExchange(new Exchange(client, context, route, request, target, upgrade, record, clientIp, hasBody,
                keepAlive, extraResponseHeaders));
    }
}
