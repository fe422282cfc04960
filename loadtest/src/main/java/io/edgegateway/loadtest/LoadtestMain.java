package io.edgegateway.loadtest;

import io.edgegateway.loadtest.probe.ProbeCommand;
import io.edgegateway.loadtest.report.MergeCommand;
import io.edgegateway.loadtest.run.RunCommand;
import io.edgegateway.loadtest.upstream.UpstreamCommand;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.Arrays;

/**
 * The {@code loadtest.jar} entry point: {@code upstream} runs a mock upstream, {@code run} generates load,
 * {@code probe} sends hostile requests, {@code merge} takes the latency of several runs' reports together.
 */
public final class LoadtestMain {

    static final int USAGE_ERROR = 2;
    static final String USAGE = String.join("\n",
            "usage: java -jar loadtest.jar <command> [options]",
            "commands:",
            "  upstream  a mock HTTP upstream with latency shapes (see: upstream --help)",
            "  run       open-loop load at a constant or ramping rate, sweeps, SLO check, JSON and HTML reports (see: run --help)",
            "  probe     hostile requests (paths, hosts, framing, slow clients, HTTP/2 floods) and what reached a recording upstream (see: probe --help)",
            "  merge     exact latency percentiles of several runs together, from their JSON reports (see: merge --help)");

    private LoadtestMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        int exitCode = run(args, System.out, System.err);
        System.exit(exitCode);
    }

    /** Runs a command and returns the exit code; {@code upstream} only returns on a bad command line. */
    static int run(String[] args, PrintStream out, PrintStream err) throws InterruptedException {
        if (args.length == 0) {
            err.println(USAGE);
            return USAGE_ERROR;
        }
        String command = args[0];
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        switch (command) {
            case "--help", "-h", "help":
                out.println(USAGE);
                return 0;
            case "upstream":
                return upstream(rest, out, err);
            case "run":
                return load(rest, out, err);
            case "probe":
                return probe(rest, out, err);
            case "merge":
                return merge(rest, out, err);
            default:
                err.println("loadtest: unknown command '" + command + "'");
                err.println(USAGE);
                return USAGE_ERROR;
        }
    }

    private static int load(String[] args, PrintStream out, PrintStream err) throws InterruptedException {
        if (CommandLineOptions.wantsHelp(args)) {
            out.println(RunCommand.USAGE);
            return 0;
        }
        RunCommand command;
        try {
            command = RunCommand.parse(args);
        } catch (UsageException e) {
            err.println("loadtest run: " + e.getMessage());
            err.println(RunCommand.USAGE);
            return USAGE_ERROR;
        }
        try {
            return command.execute(out);
        } catch (IOException | IllegalArgumentException | IllegalStateException e) {
            err.println("loadtest run: " + e.getMessage());
            return 1;
        }
    }

    private static int probe(String[] args, PrintStream out, PrintStream err) throws InterruptedException {
        if (CommandLineOptions.wantsHelp(args)) {
            out.println(ProbeCommand.USAGE);
            return 0;
        }
        ProbeCommand command;
        try {
            command = ProbeCommand.parse(args);
        } catch (UsageException e) {
            err.println("loadtest probe: " + e.getMessage());
            err.println(ProbeCommand.USAGE);
            return USAGE_ERROR;
        }
        try {
            return command.execute(out);
        } catch (IOException | UncheckedIOException e) {
            err.println("loadtest probe: " + e.getMessage());
            return 1;
        }
    }

    private static int merge(String[] args, PrintStream out, PrintStream err) {
        if (CommandLineOptions.wantsHelp(args)) {
            out.println(MergeCommand.USAGE);
            return 0;
        }
        MergeCommand command;
        try {
            command = MergeCommand.parse(args);
        } catch (UsageException e) {
            err.println("loadtest merge: " + e.getMessage());
            err.println(MergeCommand.USAGE);
            return USAGE_ERROR;
        }
        try {
            return command.execute(out);
        } catch (IOException | IllegalArgumentException e) {
            err.println("loadtest merge: " + e.getMessage());
            return 1;
        }
    }

    private static int upstream(String[] args, PrintStream out, PrintStream err) throws InterruptedException {
        if (CommandLineOptions.wantsHelp(args)) {
            out.println(UpstreamCommand.USAGE);
            return 0;
        }
        UpstreamCommand command;
        try {
            command = UpstreamCommand.parse(args);
        } catch (UsageException e) {
            err.println("loadtest upstream: " + e.getMessage());
            err.println(UpstreamCommand.USAGE);
            return USAGE_ERROR;
        }
        try {
            command.serve();
        } catch (IllegalStateException e) {
            err.println("loadtest upstream: " + e.getMessage());
            return 1;
        }
        return 0;
    }
}
