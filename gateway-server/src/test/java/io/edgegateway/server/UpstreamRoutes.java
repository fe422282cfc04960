package io.edgegateway.server;

import io.edgegateway.testkit.RefusingPort;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Route blocks and addresses for the upstream resilience tests: one route {@code r} on {@code /}. */
final class UpstreamRoutes {

    static final String ROUTE = "r";

    private static final List<RefusingPort> STOPPED = new CopyOnWriteArrayList<>();

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

    /**
     * A loopback port whose connections are refused: a stopped instance. It stays held for the rest
     * of the test run, so no gateway or upstream started afterwards is given it.
     */
    static int stoppedPort() {
        RefusingPort port = new RefusingPort();
        STOPPED.add(port);
        return port.port();
    }

    /** {@code gateway_upstream_healthy} of an instance of route {@code r}; NaN when it is not in the route. */
    static double healthy(TestGateway gateway, String label) throws Exception {
        return MetricsScrape.of(gateway).value("gateway_upstream_healthy", "route", ROUTE, "upstream", label);
    }
}
