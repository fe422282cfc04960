package io.edgegateway.filters.identity;

import io.edgegateway.config.ClientIpIdentity;
import io.edgegateway.config.HeaderIdentity;
import io.edgegateway.config.IdentityConfig;
import io.edgegateway.config.IdentitySource;
import io.edgegateway.config.JwtIdentity;
import io.netty.handler.codec.http.HttpHeaders;
import java.time.Clock;
import java.util.Objects;

/**
 * Finds who a request is by trying the configured identity sources in order; the first that yields
 * an identity, or rejects the request's credentials, decides. An identity over
 * {@code identity.max-length} is {@link IdentityResult.TooLong}, whichever source it came from.
 *
 * <p>Built once per configuration; immutable, lock-free and safe to call from every event loop.
 */
public final class IdentityResolver {

    private final IdentityLookup[] lookups;
    private final int maxLength;

    /**
     * For sources without {@code jwks-url}.
     *
     * @throws IllegalArgumentException when a configured key or trusted-proxy range is unusable, or a source names a jwks-url
     */
    public IdentityResolver(IdentityConfig config) {
        this(config, null, Clock.systemUTC());
    }

    /**
     * For sources without {@code jwks-url}.
     *
     * @param clock the time a token's {@code exp} and {@code nbf} are checked against
     * @throws IllegalArgumentException when a configured key or trusted-proxy range is unusable, or a source names a jwks-url
     */
    public IdentityResolver(IdentityConfig config, Clock clock) {
        this(config, null, clock);
    }

    /**
     * @param jwks where the key sets of {@code jwks-url} sources are kept and fetched; a source's
     *     first fetch starts now if the registry does not have its set yet
     * @throws IllegalArgumentException when a configured key or trusted-proxy range is unusable
     */
    public IdentityResolver(IdentityConfig config, JwksRegistry jwks) {
        this(config, jwks, Clock.systemUTC());
    }

    /**
     * @param jwks null when no source names a jwks-url
     * @param clock the time a token's {@code exp} and {@code nbf} are checked against
     * @throws IllegalArgumentException when a configured key or trusted-proxy range is unusable
     */
    public IdentityResolver(IdentityConfig config, JwksRegistry jwks, Clock clock) {
        Objects.requireNonNull(clock, "clock");
        this.lookups = config.sources().stream().map(source -> lookup(source, jwks, clock)).toArray(IdentityLookup[]::new);
        this.maxLength = config.maxLength();
    }

    /**
     * @param peerIp the connection's remote address as an IP literal; null or anything else
     *     makes the client-ip source yield nothing
     */
    public IdentityResult resolve(HttpHeaders headers, String peerIp) {
        for (IdentityLookup lookup : lookups) {
            IdentityResult result = lookup.lookup(headers, peerIp);
            if (result instanceof IdentityResult.Identified identified && identified.identity().length() > maxLength) {
                return IdentityResult.TooLong.INSTANCE;
            }
            if (result != IdentityResult.Anonymous.INSTANCE) {
                return result;
            }
        }
        return IdentityResult.Anonymous.INSTANCE;
    }

    private static IdentityLookup lookup(IdentitySource source, JwksRegistry jwks, Clock clock) {
        if (source instanceof HeaderIdentity header) {
            return new HeaderLookup(header.name());
        }
        if (source instanceof JwtIdentity jwt) {
            if (jwt.jwks().isPresent() && jwks == null) {
                throw new IllegalArgumentException("jwks-url " + jwt.jwks().get().url() + ": no JwksRegistry to fetch it with");
            }
            return new JwtLookup(jwt, clock, jwt.jwks().map(config -> jwks.cacheFor(config)).orElse(null));
        }
        if (source instanceof ClientIpIdentity clientIp) {
            return new ClientIpLookup(clientIp);
        }
        throw new IllegalArgumentException("unknown identity source: " + source);
    }
}
