package io.edgegateway.config;

import java.util.List;

/**
 * The client's address: the peer's, or, when the peer is a trusted proxy, the right-most
 * {@code X-Forwarded-For} entry that is not itself a trusted proxy.
 *
 * @param trustedProxies CIDRs (IPv4 or IPv6, a bare address meaning a single host), syntax already checked
 */
public record ClientIpIdentity(List<String> trustedProxies) implements IdentitySource {

    public ClientIpIdentity {
        trustedProxies = List.copyOf(trustedProxies);
    }
}
