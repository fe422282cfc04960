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

    /** @throws IllegalArgumentException when a configured key or trusted-proxy range is unusable */
    public IdentityResolver(IdentityConfig config) {
        this(config, Clock.systemUTC());
    }

    /**
     * @param clock the time a token's {@code exp} and {@code nbf} are checked against
     * @throws IllegalArgumentException when a configured key or trusted-proxy range is unusable
     */
    public IdentityResolver(IdentityConfig config, Clock clock) {
        Objects.requireNonNull(clock, "clock");
        this.lookups = config.sources().stream().map(source -> lookup(source, clock)).toArray(IdentityLookup[]::new);
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

    private static IdentityLookup lookup(IdentitySource source, Clock clock) {
        if (source instanceof HeaderIdentity header) {
            return new HeaderLookup(header.name());
        }
        if (source instanceof JwtIdentity jwt) {
            return new JwtLookup(jwt, clock);
        }
        if (source instanceof ClientIpIdentity clientIp) {
            return new ClientIpLookup(clientIp);
        }
        throw new IllegalArgumentException("unknown identity source: " + source);
    }
}
