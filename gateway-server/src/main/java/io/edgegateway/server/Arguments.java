package io.edgegateway.server;

import java.nio.file.Path;
import java.util.Optional;

/** The gateway's command line. */
record Arguments(Optional<Path> configFile, boolean check, boolean help) {

    static final String USAGE = """
            usage: java -jar gateway.jar --config FILE [--check]
                   java -jar gateway.jar --demo
              --config FILE  the HOCON configuration (or set GATEWAY_CONFIG=FILE)
              --check        validate the configuration only: prints OK, or every problem and exits 2
              --demo         the embedded demo: in-memory limiter and a bundled upstream on 127.0.0.1:9001""";

    static Arguments parse(String[] args, Optional<String> configFromEnvironment) {
        Optional<Path> config = configFromEnvironment.filter(s -> !s.isBlank()).map(Path::of);
        boolean check = false;
        boolean demo = false;
        boolean help = false;
        boolean explicitConfig = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--config" -> {
                    if (i + 1 >= args.length) {
                        throw new IllegalArgumentException("--config needs a file");
                    }
                    config = Optional.of(Path.of(args[++i]));
                    explicitConfig = true;
                }
                case "--check" -> check = true;
                case "--demo" -> demo = true;
                case "--help", "-h" -> help = true;
                default -> throw new IllegalArgumentException("unknown argument: " + args[i]);
            }
        }
        if (demo && explicitConfig) {
            throw new IllegalArgumentException("--demo and --config exclude each other");
        }
        if (demo) {
            config = Optional.empty();
        } else if (config.isEmpty() && !help) {
            throw new IllegalArgumentException("no configuration: give --config FILE, GATEWAY_CONFIG, or --demo");
        }
        return new Arguments(config, check, help);
    }
}
