package io.edgegateway.server;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Route blocks and addresses for the upstream resilience tests: one route {@code r} on {@code /}. */
final class UpstreamRoutes {

    static final String ROUTE = "r";

    private UpstreamRoutes() {
    }

    /** {@code routes = [...]} with route {@code r} to these loopback ports and {@code extra} keys inside it. */
    static String route(String extra, int... ports) {
        StringBuilder upstreams = new StringBuilder();
        for (int port : ports) {
            upstreams.append(upstreams.isEmpty() ? "" : ", ").append("\"http://127.0.0.1:").append(port).append('"');
        }
        return "routes = [{ id = " + ROUTE + ", match { path-prefix = \"/\" }, upstreams = [" + upstreams + "], "
                + extra + " }]";
    }

    /** {@code 127.0.0.1:port}, the {@code upstream} label of the gateway's metrics. */
    static String label(int port) {
        return "127.0.0.1:" + port;
    }

    /** A loopback port nobody listens on: a stopped instance, whose connections are refused. */
    static int stoppedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** {@code gateway_upstream_healthy} of an instance of route {@code r}; NaN when it is not in the route. */
    static double healthy(TestGateway gateway, String label) throws Exception {
        return MetricsScrape.of(gateway).value("gateway_upstream_healthy", "route", ROUTE, "upstream", label);
    }
}
