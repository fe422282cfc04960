package io.edgegateway.server.upstream;

import java.net.InetSocketAddress;
import java.net.URI;

/**
 * One upstream instance, resolved once when the configuration is compiled so that no event loop
 * ever waits on DNS.
 *
 * @param label {@code host:port} as written in the configuration, used in metrics
 */
public record UpstreamAddress(String label, InetSocketAddress socketAddress) {

    public static UpstreamAddress of(URI uri) {
        int port = uri.getPort() == -1 ? 80 : uri.getPort();
        return new UpstreamAddress(uri.getHost() + ":" + port, new InetSocketAddress(uri.getHost(), port));
    }
}
