package io.edgegateway.loadtest.probe;

import io.edgegateway.loadtest.CommandLineOptions;
import io.edgegateway.loadtest.DurationText;
import io.edgegateway.loadtest.UsageException;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/** {@code loadtest probe}: the hostile-client catalogue against one target, and the recording upstream. */
public final class ProbeCommand {

    public static final String USAGE = String.join("\n",
            "usage: loadtest probe --url http://HOST:PORT [--h2 http://HOST:PORT] [--upstream-port P | --upstream-log FILE]",
            "                      [--json FILE] [--skip GROUP,...] [--timeout 3s] [--slow-cap 30s] ...",
            "       loadtest probe --upstream-port P --upstream-log FILE     (only the recording upstream, until killed)",
            "Sends a fixed catalogue of hostile requests over raw sockets and reports, per probe, what the",
            "client saw (status, closed, reset, timeout) and what reached the recording upstream.",
            "  --url URL              the target (HTTP/1.1 on raw sockets)",
            "  --h2 URL               where the target speaks HTTP/2 by prior knowledge (h2c); runs the h2 probes",
            "  --upstream-port P      start the recording upstream here, for the target to forward to",
            "  --upstream-host HOST   its address (default 127.0.0.1)",
            "  --upstream-log FILE    with --upstream-port: append each request to FILE; without it: read what",
            "                         a recording upstream in another process appended there",
            "  --json FILE            also write the results as JSON",
            "  --skip GROUPS          leave out groups: " + String.join(",", ProbeCatalogue.GROUPS),
            "  --timeout D            how long an exchange waits for the next byte (default 3s)",
            "  --slow-interval D      pause between the slowloris head's bytes (default 500ms)",
            "  --slow-body-interval D pause between the slow body's bytes (default 1s)",
            "  --slow-cap D           how long each slow probe goes on at most (default 30s)",
            "  --h2-streams N         streams of the rapid-reset probe (default 10000)",
            "  --h2-frames N          frames of each HTTP/2 flood (default 100000)",
            "  --methods N            random extension methods sent (default 300)");

    private static final Set<String> OPTIONS = Set.of("url", "h2", "upstream-port", "upstream-host", "upstream-log",
            "json", "skip", "timeout", "slow-interval", "slow-body-interval", "slow-cap", "h2-streams", "h2-frames",
            "methods");

    private final CommandLineOptions options;
    private final Optional<URI> url;
    private final Optional<URI> h2Url;
    private final Set<String> skipped;
    private final ProbeSettings settings;
    private final Duration timeout;

    private ProbeCommand(CommandLineOptions options, Optional<URI> url, Optional<URI> h2Url, Set<String> skipped,
            ProbeSettings settings, Duration timeout) {
        this.options = options;
        this.url = url;
        this.h2Url = h2Url;
        this.skipped = skipped;
        this.settings = settings;
        this.timeout = timeout;
    }

    /** Reads the command line. @throws UsageException when it cannot be run as given */
    public static ProbeCommand parse(String[] args) {
        CommandLineOptions options = CommandLineOptions.parse(args, OPTIONS);
        Optional<URI> url = options.value("url").map(text -> target("url", text));
        Optional<URI> h2 = options.value("h2").map(text -> target("h2", text));
        if (url.isEmpty() && (options.value("upstream-port").isEmpty() || options.value("upstream-log").isEmpty())) {
            throw new UsageException("option --url is required (or --upstream-port and --upstream-log to only record)");
        }
        options.intValue("upstream-port", 0, 0, 65535);
        Set<String> skipped = new HashSet<>();
        for (String group : options.value("skip").orElse("").split(",")) {
            if (!group.isBlank() && !ProbeCatalogue.GROUPS.contains(group.trim())) {
                throw new UsageException("--skip: unknown group '" + group.trim() + "' (expected: "
                        + String.join(", ", ProbeCatalogue.GROUPS) + ")");
            }
            skipped.add(group.trim());
        }
        ProbeSettings d = ProbeSettings.DEFAULTS;
        ProbeSettings settings = new ProbeSettings(
                duration(options, "slow-interval", d.slowHeadInterval()),
                duration(options, "slow-body-interval", d.slowBodyInterval()),
                duration(options, "slow-cap", d.slowCap()),
                options.intValue("h2-streams", d.h2Streams(), 1, 1_000_000_000),
                options.intValue("h2-frames", d.h2Frames(), 1, 100_000_000),
                options.intValue("methods", d.methods(), 1, 100_000));
        return new ProbeCommand(options, url, h2, skipped, settings,
                duration(options, "timeout", Duration.ofSeconds(3)));
    }

    /** Runs the probes (or only the recording upstream) and returns the exit code. */
    public int execute(PrintStream out) throws IOException, InterruptedException {
        String upstreamHost = options.value("upstream-host").orElse("127.0.0.1");
        Optional<Path> log = options.value("upstream-log").map(Path::of);
        Optional<Integer> upstreamPort = options.value("upstream-port").isPresent()
                ? Optional.of(options.intValue("upstream-port", 0, 0, 65535)) : Optional.empty();
        if (url.isEmpty()) {
            RecordingUpstream upstream = RecordingUpstream.start(upstreamHost, upstreamPort.orElseThrow(), log);
            Runtime.getRuntime().addShutdownHook(new Thread(upstream::close, "recording-upstream-shutdown"));
            out.println("recording upstream listening on " + upstreamHost + ":" + upstream.port() + ", log " + log.get());
            out.flush();
            new CountDownLatch(1).await(); // nothing counts it down: the shutdown hook ends the process
            return 0;
        }
        URI target = url.get();
        ProbeTarget probeTarget = new ProbeTarget(target.getHost(), target.getPort(),
                h2Url.map(URI::getPort).orElse(0), timeout);
        String runId = "p" + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffffffL);
        RecordingUpstream upstream = null;
        Optional<Supplier<List<UpstreamRecord>>> records = Optional.empty();
        try {
            if (upstreamPort.isPresent()) {
                upstream = RecordingUpstream.start(upstreamHost, upstreamPort.get(), log);
                records = Optional.of(upstream::records);
            } else if (log.isPresent()) {
                Path file = log.get();
                records = Optional.of(() -> UpstreamLogFile.read(file));
            }
            out.println("probing " + target + h2Url.map(h2 -> " (h2c " + h2 + ")").orElse("") + ", run " + runId
                    + (records.isPresent() ? "" : "; no recording upstream: what reached the upstream is not observed"));
            List<ProbeResult> results = new ProbeRunner(probeTarget, runId, records, out)
                    .run(ProbeCatalogue.probes(settings), skipped);
            out.println();
            out.print(ProbeReport.markdown(results));
            out.flush();
            Optional<String> json = options.value("json");
            if (json.isPresent()) {
                Files.writeString(Path.of(json.get()), ProbeReport.json(target.toString(),
                        h2Url.map(URI::toString).orElse(null), runId, results), StandardCharsets.UTF_8);
            }
            return 0;
        } finally {
            if (upstream != null) {
                upstream.close();
            }
        }
    }

    private static URI target(String option, String text) {
        try {
            URI uri = URI.create(text);
            if ("http".equals(uri.getScheme()) && uri.getHost() != null && uri.getPort() > 0) {
                return uri;
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        throw new UsageException("--" + option + ": " + text + " (expected: http://HOST:PORT)");
    }

    private static Duration duration(CommandLineOptions options, String name, Duration fallback) {
        Optional<String> text = options.value(name);
        if (text.isEmpty()) {
            return fallback;
        }
        try {
            Duration value = Duration.ofNanos(DurationText.parseNanos(text.get()));
            if (!value.isZero()) {
                return value;
            }
        } catch (IllegalArgumentException e) {
            throw new UsageException("--" + name + ": " + e.getMessage());
        }
        throw new UsageException("--" + name + ": " + text.get() + " (expected: more than 0)");
    }
}
