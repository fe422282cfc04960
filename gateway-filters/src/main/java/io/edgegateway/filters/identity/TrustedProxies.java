package io.edgegateway.filters.identity;

import io.edgegateway.config.ClientIpIdentity;
import io.edgegateway.config.IdentityConfig;
import io.edgegateway.config.IdentitySource;
import java.util.ArrayList;
import java.util.List;

/**
 * The gateway's trusted proxies: every {@code trusted-proxies} CIDR of the identity section's
 * {@code client-ip} sources. A request whose peer is one of them may carry what only a proxy the
 * operator runs should set.
 */
public final class TrustedProxies {

    private final Cidr[] cidrs;

    private TrustedProxies(Cidr[] cidrs) {
        this.cidrs = cidrs;
    }

    public static TrustedProxies of(IdentityConfig identity) {
        List<Cidr> cidrs = new ArrayList<>();
        for (IdentitySource source : identity.sources()) {
            if (source instanceof ClientIpIdentity clientIp) {
                clientIp.trustedProxies().forEach(text -> cidrs.add(Cidr.parse(text)));
            }
        }
        return new TrustedProxies(cidrs.toArray(Cidr[]::new));
    }

    /** Whether {@code peerIp} (an IP literal) is a trusted proxy's; false for anything else. */
    public boolean contains(String peerIp) {
        if (cidrs.length == 0 || peerIp == null) {
            return false;
        }
        byte[] address = IpLiteral.parse(peerIp);
        if (address == null) {
            return false;
        }
        for (Cidr cidr : cidrs) {
            if (cidr.contains(address)) {
                return true;
            }
        }
        return false;
    }
}
