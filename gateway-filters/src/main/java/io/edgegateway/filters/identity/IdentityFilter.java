package io.edgegateway.filters.identity;

import io.edgegateway.filters.FilterChain;
import io.edgegateway.filters.FilterContext;
import io.edgegateway.filters.FilterOutcome;
import io.edgegateway.filters.GatewayFilter;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.concurrent.CompletionStage;

/**
 * Names the caller for the filters after it. Credentials that fail verification end the request
 * with 401: such a request is never counted under the identity it claims. An identity over
 * {@code identity.max-length} ends it with 431 {@code identity_too_long}, before the rate limiter
 * keeps anything for it; a long one under it is passed on as its {@link BoundedIdentity} digest.
 */
public final class IdentityFilter implements GatewayFilter {

    static final String TOO_LONG = "identity_too_long";

    private final IdentityResolver resolver;

    public IdentityFilter(IdentityResolver resolver) {
        this.resolver = resolver;
    }

    @Override
    public CompletionStage<FilterOutcome> filter(FilterContext ctx, FilterChain next) {
        IdentityResult result = resolver.resolve(ctx.requestHeaders(), ctx.peerIp());
        if (result instanceof IdentityResult.Identified identified) {
            ctx.identity(BoundedIdentity.of(identified.identity()));
            ctx.identitySource(identified.source());
        } else if (result instanceof IdentityResult.Rejected rejected) {
            ctx.responseHeaders().set(HttpHeaderNames.WWW_AUTHENTICATE,
                    "Bearer error=\"" + rejected.error() + "\", error_description=\"" + rejected.description() + "\"");
            return FilterOutcome.respond(HttpResponseStatus.UNAUTHORIZED, rejected.error());
        } else if (result == IdentityResult.TooLong.INSTANCE) {
            return FilterOutcome.respond(HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE, TOO_LONG);
        }
        return next.proceed(ctx);
    }
}
