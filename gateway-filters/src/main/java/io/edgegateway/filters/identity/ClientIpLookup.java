package io.edgegateway.filters.identity;

import io.edgegateway.config.ClientIpIdentity;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;
import java.util.List;

/**
 * The client's address: the peer's, or, while the address at hand is a trusted proxy's, the next one
 * to the left in {@code X-Forwarded-For} (all such headers joined in order).
 *
 * <p>Only entries added by trusted proxies are believed, so a client cannot pick its own identity by
 * sending {@code X-Forwarded-For}. A malformed entry stops the walk at the last good address; empty
 * list elements are skipped (RFC 9110 section 5.6.1).
 */
final class ClientIpLookup implements IdentityLookup {

    private static final AsciiString X_FORWARDED_FOR = AsciiString.cached("x-forwarded-for");

    private final Cidr[] trustedProxies;

    ClientIpLookup(ClientIpIdentity source) {
        this.trustedProxies = source.trustedProxies().stream().map(Cidr::parse).toArray(Cidr[]::new);
    }

    /** A peer address that is not an IP literal (or none) yields no identity. */
    @Override
    public IdentityResult lookup(HttpHeaders headers, String peerIp) {
        byte[] peer = peerIp == null ? null : IpLiteral.parse(peerIp);
        if (peer == null) {
            return IdentityResult.Anonymous.INSTANCE;
        }
        byte[] client = isTrusted(peer) ? walkForwardedFor(headers.getAll(X_FORWARDED_FOR), peer) : peer;
        return new IdentityResult.Identified(IpLiteral.format(client), IdentityResult.Identified.CLIENT_IP);
    }

    /** Called with a trusted {@code current}; returns the first untrusted address from the right, or where the walk stopped. */
    private byte[] walkForwardedFor(List<String> forwardedFor, byte[] current) {
        for (int h = forwardedFor.size() - 1; h >= 0; h--) {
            String value = forwardedFor.get(h);
            int end = value.length();
            while (end >= 0) {
                int comma = value.lastIndexOf(',', end - 1);
                String entry = value.substring(comma + 1, end).trim();
                end = comma;
                if (entry.isEmpty()) {
                    continue;
                }
                byte[] next = IpLiteral.parse(entry);
                if (next == null) {
                    return current;
                }
                current = next;
                if (!isTrusted(current)) {
                    return current;
                }
            }
        }
        return current;
    }

    private boolean isTrusted(byte[] address) {
        for (Cidr proxy : trustedProxies) {
            if (proxy.contains(address)) {
                return true;
            }
        }
        return false;
    }
}
