package io.edgegateway.server.upstream;

import io.netty.util.AttributeKey;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;

/**
 * One upstream instance's address, resolved before any event loop needs it (when the configuration
 * is compiled, then by the {@link io.edgegateway.server.upstream.dns.DnsWatch}), so that no event
 * loop ever waits on DNS.
 *
 * @param label {@code host:port} as written in the configuration, used in metrics
 * @param host the host as written: the server name sent and verified over TLS
 * @param tls whether the upstream is {@code https://} or {@code h2://}
 * @param http2 whether the upstream is {@code h2c://} or {@code h2://}: its requests are HTTP/2 streams
 */
public record UpstreamAddress(String label, InetSocketAddress socketAddress, String host, boolean tls, boolean http2) {

    /** Set on each upstream connection, so its pipeline knows where it goes. */
    public static final AttributeKey<UpstreamAddress> KEY = AttributeKey.valueOf(UpstreamAddress.class, "address");

    public static UpstreamAddress of(URI uri) {
        return new UpstreamAddress(label(uri), new InetSocketAddress(uri.getHost(), port(uri)), uri.getHost(), isTls(uri),
                isHttp2(uri));
    }

    /**
     * The instances a host name of {@code uri} resolved to: one is labelled {@code host:port} as
     * written, several {@code host:port/address} each, so that every instance has series of its own.
     */
    public static List<UpstreamAddress> resolved(URI uri, List<InetAddress> addresses) {
        boolean tls = isTls(uri);
        boolean http2 = isHttp2(uri);
        int port = port(uri);
        String label = label(uri);
        return addresses.stream()
                .map(address -> new UpstreamAddress(addresses.size() == 1 ? label : label + "/" + address.getHostAddress(),
                        new InetSocketAddress(address, port), uri.getHost(), tls, http2))
                .toList();
    }

    /** {@code host:port} of an upstream URI, the port filled in from its scheme. */
    public static String label(URI uri) {
        return uri.getHost() + ":" + port(uri);
    }

    private static int port(URI uri) {
        return uri.getPort() != -1 ? uri.getPort() : isTls(uri) ? 443 : 80;
    }

    private static boolean isTls(URI uri) {
        return "https".equalsIgnoreCase(uri.getScheme()) || "h2".equalsIgnoreCase(uri.getScheme());
    }

    private static boolean isHttp2(URI uri) {
        return "h2c".equalsIgnoreCase(uri.getScheme()) || "h2".equalsIgnoreCase(uri.getScheme());
    }
}
