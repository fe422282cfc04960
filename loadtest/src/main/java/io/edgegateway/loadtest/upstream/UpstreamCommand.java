package io.edgegateway.loadtest.upstream;

import io.edgegateway.loadtest.CommandLineOptions;
import io.edgegateway.loadtest.UsageException;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

/** {@code loadtest upstream}: runs a {@link MockUpstream} until the process is killed. */
public final class UpstreamCommand {

    public static final String USAGE = String.join("\n",
            "usage: loadtest upstream --port P [--latency SPEC] [--workers K] [--host HOST] [--seed N] [--name NAME] [--threads N]",
            "  --port P        port to listen on (0 picks a free one)",
            "  --latency SPEC  delay before each answer (default none):",
            "                  none | fixed:1ms | lognormal:50ms:0.5 | bimodal:0.8:10ms:200ms",
            "                  | heavy-tail:50ms:0.02:500ms-5s | degrading:50ms:3x[:60s]",
            "  --workers K     serve with K workers behind one FIFO queue: the latency is then each request's",
            "                  service time, after its wait for a worker (default 0: no queueing)",
            "  --host HOST     address to listen on (default 127.0.0.1)",
            "  --seed N        seed for the latency's randomness, to reproduce a run",
            "  --name NAME     value of the X-Upstream response header (default mock-<port>)",
            "  --threads N     event-loop threads (default: the number of CPUs)",
            "query parameters on any path: status=NNN bytes=N chunked=true echo=true (or /echo)",
            "  reset-after=N close=true delay=DURATION");

    private static final Set<String> OPTIONS = Set.of("port", "latency", "workers", "host", "seed", "name", "threads");

    private final MockUpstreamBuilder builder;
    private final String host;
    private final String latencySpec;
    private final int workers;

    private UpstreamCommand(MockUpstreamBuilder builder, String host, String latencySpec, int workers) {
        this.builder = builder;
        this.workers = workers;
        this.host = host;
        this.latencySpec = latencySpec;
    }

    /** Reads the command line. @throws UsageException when it cannot be run as given */
    public static UpstreamCommand parse(String[] args) {
        CommandLineOptions options = CommandLineOptions.parse(args, OPTIONS);
        String host = options.value("host").orElse("127.0.0.1");
        String latencySpec = options.value("latency").orElse("none");
        options.required("port");
        MockUpstreamBuilder builder = MockUpstream.builder()
                .host(host)
                .port(options.intValue("port", 0, 0, 65535))
                .ioThreads(options.intValue("threads", Runtime.getRuntime().availableProcessors(), 1, 1024))
                .workers(options.intValue("workers", 0, 0, 1_000_000));
        try {
            builder.latency(LatencyShape.parse(latencySpec));
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        options.value("name").ifPresent(builder::name);
        options.longValue("seed").ifPresent(builder::seed);
        return new UpstreamCommand(builder, host, latencySpec, options.intValue("workers", 0, 0, 1_000_000));
    }

    /** Starts the upstream, prints where it listens, and serves until the JVM shuts down (e.g. on SIGTERM). */
    public void serve() throws InterruptedException {
        MockUpstream upstream = builder.start();
        Runtime.getRuntime().addShutdownHook(new Thread(upstream::close, "mock-upstream-shutdown"));
        System.out.println("mock upstream listening on " + host + ":" + upstream.port() + " latency " + latencySpec
                + (workers > 0 ? " on " + workers + " workers" : ""));
        new CountDownLatch(1).await(); // nothing counts it down: the shutdown hook ends the process
    }
}
