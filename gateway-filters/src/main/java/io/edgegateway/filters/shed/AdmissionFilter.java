package io.edgegateway.filters.shed;

import io.edgegateway.config.LoadSheddingConfig;
import io.edgegateway.config.PriorityHeader;
import io.edgegateway.config.ShedPriorities;
import io.edgegateway.filters.FilterChain;
import io.edgegateway.filters.FilterContext;
import io.edgegateway.filters.FilterOutcome;
import io.edgegateway.filters.GatewayFilter;
import io.edgegateway.filters.identity.TrustedProxies;
import io.edgegateway.filters.metrics.RouteMetrics;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.concurrent.CompletionStage;

/**
 * Asks the route's {@link LoadShedder} to admit the request, after the caller is known and before
 * the rate limiter counts it (a shed request costs no quota and no store call). Its priority comes
 * from the identity section's match in {@code load-shedding.priorities}, else from
 * {@code X-Priority} where {@code priority-header} believes it (by default only from a trusted
 * proxy; a header not believed is removed before forwarding). An admitted request's admission is
 * left in the context, to be released once when the request ends.
 */
public final class AdmissionFilter implements GatewayFilter {

    static final String OVERLOADED = "overloaded";

    private final LoadShedder shedder;
    private final PriorityHeader priorityHeader;
    private final ShedPriorities priorities;
    private final TrustedProxies trustedProxies;
    private final RouteMetrics metrics;

    public AdmissionFilter(LoadShedder shedder, LoadSheddingConfig config, TrustedProxies trustedProxies,
            RouteMetrics metrics) {
        this.shedder = shedder;
        this.priorityHeader = config.priorityHeader();
        this.priorities = config.priorities();
        this.trustedProxies = trustedProxies;
        this.metrics = metrics;
    }

    @Override
    public CompletionStage<FilterOutcome> filter(FilterContext ctx, FilterChain next) {
        if (!shedder.tryAdmit(priority(ctx))) {
            metrics.shed();
            ctx.responseHeaders().set(HttpHeaderNames.RETRY_AFTER, "1");
            return FilterOutcome.respond(HttpResponseStatus.SERVICE_UNAVAILABLE, OVERLOADED);
        }
        ctx.admittedBy(shedder);
        return next.proceed(ctx);
    }

    /** The identity's listed priority, else the header's where it is believed; a header not believed goes. */
    Priority priority(FilterContext ctx) {
        String header = ctx.requestHeaders().get(Priority.HEADER);
        boolean believed = header != null && believes(ctx.peerIp());
        if (header != null && !believed) {
            ctx.requestHeaders().remove(Priority.HEADER);
        }
        String identity = ctx.identity();
        if (identity != null && !priorities.isEmpty()) {
            if (priorities.high().contains(identity)) {
                return Priority.HIGH;
            }
            if (priorities.low().contains(identity)) {
                return Priority.LOW;
            }
        }
        return believed ? Priority.fromHeader(header) : Priority.NORMAL;
    }

    private boolean believes(String peerIp) {
        return switch (priorityHeader) {
            case ANY -> true;
            case IGNORE -> false;
            case TRUSTED -> trustedProxies.contains(peerIp);
        };
    }
}
