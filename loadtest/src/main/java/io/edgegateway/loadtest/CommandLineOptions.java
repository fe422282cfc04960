package io.edgegateway.loadtest;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/** The {@code --name value} (or {@code --name=value}) options of one subcommand, unknown names refused. */
public final class CommandLineOptions {

    private final Map<String, String> values;

    private CommandLineOptions(Map<String, String> values) {
        this.values = values;
    }

    /**
     * Parses {@code args}; every option takes a value and must be one of {@code known} (names without dashes).
     *
     * @throws UsageException for an unknown option, a missing value, a repeated option or a stray argument
     */
    public static CommandLineOptions parse(String[] args, Set<String> known) {
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--") || arg.length() == 2) {
                throw new UsageException("unexpected argument '" + arg + "'");
            }
            int equals = arg.indexOf('=');
            String name = equals < 0 ? arg.substring(2) : arg.substring(2, equals);
            if (!known.contains(name)) {
                throw new UsageException("unknown option --" + name + " (expected one of: " + describe(known) + ")");
            }
            String value;
            if (equals >= 0) {
                value = arg.substring(equals + 1);
            } else if (i + 1 < args.length) {
                value = args[++i];
            } else {
                throw new UsageException("option --" + name + " needs a value");
            }
            if (values.putIfAbsent(name, value) != null) {
                throw new UsageException("option --" + name + " given twice");
            }
        }
        return new CommandLineOptions(values);
    }

    /** True when {@code args} asks for help anywhere. */
    public static boolean wantsHelp(String[] args) {
        return Arrays.stream(args).anyMatch(arg -> arg.equals("--help") || arg.equals("-h"));
    }

    public Optional<String> value(String name) {
        return Optional.ofNullable(values.get(name));
    }

    public String required(String name) {
        return value(name).orElseThrow(() -> new UsageException("option --" + name + " is required"));
    }

    /** The option as an integer in [min, max], or {@code fallback} when absent. */
    public int intValue(String name, int fallback, int min, int max) {
        Optional<String> text = value(name);
        if (text.isEmpty()) {
            return fallback;
        }
        try {
            int parsed = Integer.parseInt(text.get().trim());
            if (parsed >= min && parsed <= max) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // reported below, with the expected range
        }
        throw new UsageException("--" + name + ": " + text.get() + " (expected: an integer " + min + ".." + max + ")");
    }

    /** The option as a long, if present. */
    public Optional<Long> longValue(String name) {
        return value(name).map(text -> {
            try {
                return Long.parseLong(text.trim());
            } catch (NumberFormatException e) {
                throw new UsageException("--" + name + ": " + text + " (expected: an integer)");
            }
        });
    }

    private static String describe(Set<String> known) {
        return String.join(", ", new TreeSet<>(known).stream().map(name -> "--" + name).toList());
    }
}
