package io.edgegateway.server;

import io.edgegateway.config.ConfigLoader;
import io.edgegateway.config.ConfigProblem;
import io.edgegateway.config.GatewayConfig;
import io.edgegateway.config.InvalidConfigException;
import io.edgegateway.server.demo.DemoUpstream;
import io.edgegateway.server.lifecycle.ConfigReloader;
import io.edgegateway.server.lifecycle.SignalHandlers;
import io.netty.util.ResourceLeakDetector;
import java.nio.file.Path;
import java.util.Optional;

/**
 * {@code gateway.jar --config FILE [--check]}, or {@code --demo} for the embedded demo.
 *
 * <p>Exit codes: 0 on a clean stop (or a valid file with {@code --check}), 2 for a bad command
 * line or configuration, 1 when the gateway could not start.
 */
public final class GatewayMain {

    static final String DEMO_CONFIG = "demo.conf";
    static final int DEMO_UPSTREAM_PORT = 9001;
    private static final String LEAK_DETECTION_LEVEL = "io.netty.leakDetection.level";

    private GatewayMain() {
    }

    public static void main(String[] args) throws Exception {
        // Netty samples buffers for leaks by default, recording a stack trace for each sample: about
        // 1% of the proxy's CPU. Off in production unless asked for; the test suites ask for paranoid.
        if (System.getProperty(LEAK_DETECTION_LEVEL) == null) {
            ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
        }
        if (System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
            System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tFT%1$tT.%1$tL %4$s %3$s: %5$s%6$s%n");
        }
        String logLevel = System.getenv(LogLevel.ENVIRONMENT_VARIABLE);
        if (logLevel != null && !logLevel.isBlank() && !LogLevel.apply(logLevel)) {
            System.err.println(LogLevel.ENVIRONMENT_VARIABLE + ": " + logLevel
                    + " (expected: trace, debug, info, warn, error or off); logging at the default level");
        }
        Arguments arguments;
        try {
            arguments = Arguments.parse(args, Optional.ofNullable(System.getenv("GATEWAY_CONFIG")));
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println(Arguments.USAGE);
            System.exit(2);
            return;
        }
        if (arguments.help()) {
            System.out.println(Arguments.USAGE);
            return;
        }
        GatewayConfig config;
        try {
            config = arguments.configFile().isPresent()
                    ? ConfigLoader.load(arguments.configFile().get())
                    : ConfigLoader.loadResource(DEMO_CONFIG);
        } catch (InvalidConfigException e) {
            for (ConfigProblem problem : e.problems()) {
                System.out.println(problem);
            }
            System.exit(2);
            return;
        }
        if (arguments.check()) {
            System.out.println("OK");
            return;
        }
        run(config, arguments.configFile());
    }

    private static void run(GatewayConfig config, Optional<Path> file) throws Exception {
        DemoUpstream demo = file.isEmpty() ? DemoUpstream.start("127.0.0.1", DEMO_UPSTREAM_PORT) : null;
        GatewayServer server;
        try {
            server = GatewayServer.start(config);
        } catch (Exception e) {
            System.err.println("gateway could not start: " + e);
            System.exit(1);
            return;
        }
        settleStartupHeap();
        ConfigReloader reloader = null;
        if (file.isPresent()) {
            reloader = new ConfigReloader(file.get(), server);
            reloader.watch();
        }
        SignalHandlers.install(server, reloader, demo);
        if (demo != null) {
            System.out.println("demo: try  curl -i http://localhost:" + server.port() + "/hello"
                    + "   and   curl -i http://localhost:" + server.port() + "/limited");
        }
    }

    /**
     * One full collection as soon as the gateway is up, normally before a load balancer's first
     * {@code /ready} probe.
     * What start-up built (routes, pools, metrics, the Redis client) lives as long as the process;
     * left in the young generation, it is copied between survivor spaces by every young collection
     * until it is old enough to be promoted, which made a restarted gateway's first seven young
     * pauses under load 6-25 ms instead of under 2 ms (docs/benchmarks.md, "The first seconds after
     * a restart"). Promoted now, it is out of their way from the first one. A request that arrives
     * during this collection waits for it, as it would for those pauses; {@code
     * -XX:+DisableExplicitGC} turns it off.
     */
    private static void settleStartupHeap() {
        System.gc();
    }
}
