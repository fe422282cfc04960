package io.edgegateway.filters.identity;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgegateway.config.Algorithm;
import io.edgegateway.config.ClientIpIdentity;
import io.edgegateway.config.FailurePolicy;
import io.edgegateway.config.HeaderIdentity;
import io.edgegateway.config.IdentityConfig;
import io.edgegateway.config.JwtIdentity;
import io.edgegateway.config.LimitMode;
import io.edgegateway.config.Quota;
import io.edgegateway.filters.FilterChain;
import io.edgegateway.filters.FilterContext;
import io.edgegateway.filters.FilterOutcome;
import io.edgegateway.filters.metrics.GatewayMetrics;
import io.edgegateway.filters.ratelimit.RateLimitFilter;
import io.edgegateway.filters.ratelimit.local.IdentityBudget;
import io.edgegateway.filters.ratelimit.local.LocalRateLimitStore;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.util.concurrent.ImmediateEventExecutor;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code identity.max-length}: an identity over it, from any source, is answered 431
 * {@code identity_too_long} by the identity filter, before the rate limiter keeps anything.
 */
class IdentityLengthLimitTest {

    private static final String SECRET = "s3cret";
    private static final int MAX_LENGTH = 1_000;

    private final LocalRateLimitStore store = new LocalRateLimitStore(Algorithm.SLIDING_LOG, () -> 1_000, IdentityBudget.of(100));
    private final FilterChain chain = FilterChain.of(List.of(
            new IdentityFilter(new IdentityResolver(new IdentityConfig(List.of(
                    new HeaderIdentity("X-API-Key"),
                    new JwtIdentity("Authorization", "sub", Optional.of(SECRET), Optional.empty()),
                    new ClientIpIdentity(List.of())), MAX_LENGTH))),
            new RateLimitFilter("users", new Quota(10, Duration.ofSeconds(60)), store, store, FailurePolicy.FAIL_OPEN,
                    LimitMode.ENFORCE, 1, RateLimitFilter.Decisions.of(new GatewayMetrics().rateLimitDecisions, "users"))));

    @AfterEach
    void close() {
        store.close();
    }

    private FilterOutcome run(HttpHeaders headers) {
        FilterContext ctx = new FilterContext("users", HttpMethod.GET, "/", headers, "192.0.2.1", ImmediateEventExecutor.INSTANCE);
        return chain.proceed(ctx).toCompletableFuture().join();
    }

    @Test
    void anIdentityAtTheLimitIsCounted() {
        assertThat(run(new DefaultHttpHeaders().add("X-API-Key", "k".repeat(MAX_LENGTH)))).isSameAs(FilterOutcome.FORWARD);
        assertThat(store.size()).isEqualTo(1);
    }

    @Test
    void aLongIdentityUnderTheLimitIsPassedOnAsItsDigest() {
        String key = "k".repeat(200);
        FilterContext ctx = new FilterContext("users", HttpMethod.GET, "/", new DefaultHttpHeaders().add("X-API-Key", key),
                "192.0.2.1", ImmediateEventExecutor.INSTANCE);

        assertThat(chain.proceed(ctx).toCompletableFuture().join()).isSameAs(FilterOutcome.FORWARD);
        assertThat(ctx.identity()).isEqualTo(BoundedIdentity.of(key)).hasSize(44);
        assertThat(run(new DefaultHttpHeaders().add("X-API-Key", key))).isSameAs(FilterOutcome.FORWARD);
        assertThat(store.size()).isEqualTo(1);
    }

    @Test
    void aLongerHeaderIdentityIs431AndKeepsNothing() {
        for (int i = 0; i < 50; i++) {
            FilterOutcome outcome = run(new DefaultHttpHeaders().add("X-API-Key", "k".repeat(MAX_LENGTH) + i));
            assertThat(outcome).isEqualTo(new FilterOutcome.Respond(HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE,
                    "identity_too_long"));
        }
        assertThat(store.size()).isZero();
        assertThat(store.budget().held()).isZero();
    }

    @Test
    void aLongerJwtClaimIs431Too() {
        String token = TokenSigner.hs256(SECRET, "{\"sub\":\"" + "s".repeat(MAX_LENGTH + 1) + "\"}");

        FilterOutcome outcome = run(new DefaultHttpHeaders().add("Authorization", "Bearer " + token));

        assertThat(outcome).isEqualTo(new FilterOutcome.Respond(HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE,
                "identity_too_long"));
        assertThat(store.size()).isZero();
    }

    @Test
    void theResolverSaysTooLongWhicheverSourceYieldedIt() {
        IdentityResolver resolver = new IdentityResolver(new IdentityConfig(List.of(new ClientIpIdentity(List.of())), 8));

        assertThat(resolver.resolve(new DefaultHttpHeaders(), "2001:db8::1")).isSameAs(IdentityResult.TooLong.INSTANCE);
        assertThat(resolver.resolve(new DefaultHttpHeaders(), "10.0.0.1")).isEqualTo(
                new IdentityResult.Identified("10.0.0.1", IdentityResult.Identified.CLIENT_IP));
    }
}
