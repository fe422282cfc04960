package io.edgegateway.server.upstream;

import io.netty.util.AttributeKey;
import java.net.InetSocketAddress;
import java.net.URI;

/**
 * One upstream instance, resolved once when the configuration is compiled so that no event loop
 * ever waits on DNS.
 *
 * @param label {@code host:port} as written in the configuration, used in metrics
 * @param host the host as written: the server name sent and verified over TLS
 * @param tls whether the upstream is {@code https://}
 */
public record UpstreamAddress(String label, InetSocketAddress socketAddress, String host, boolean tls) {

    /** Set on each upstream connection, so its pipeline knows where it goes. */
    public static final AttributeKey<UpstreamAddress> KEY = AttributeKey.valueOf(UpstreamAddress.class, "address");

    public static UpstreamAddress of(URI uri) {
        boolean tls = isTls(uri);
        return new UpstreamAddress(label(uri), new InetSocketAddress(uri.getHost(), port(uri)), uri.getHost(), tls);
    }

    /** {@code host:port} of an upstream URI, the port filled in from its scheme. */
    public static String label(URI uri) {
        return uri.getHost() + ":" + port(uri);
    }

    private static int port(URI uri) {
        return uri.getPort() != -1 ? uri.getPort() : isTls(uri) ? 443 : 80;
    }

    private static boolean isTls(URI uri) {
        return "https".equalsIgnoreCase(uri.getScheme());
    }
}
