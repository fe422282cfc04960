package io.edgegateway.server;

import java.util.Locale;
import java.util.Optional;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The seed's {@code LOG_LEVEL} environment variable: the level of the gateway's logging
 * (java.util.logging, where Netty and Lettuce log too). Takes the usual names in any case:
 * trace, debug, info, warn or warning, error, off, or a java.util.logging level name.
 */
final class LogLevel {

    static final String ENVIRONMENT_VARIABLE = "LOG_LEVEL";

    private LogLevel() {
    }

    /** Sets the root logger and its handlers to {@code name}'s level; false, changing nothing, for an unknown name. */
    static boolean apply(String name) {
        Optional<Level> level = parse(name);
        if (level.isEmpty()) {
            return false;
        }
        Logger root = Logger.getLogger("");
        root.setLevel(level.get());
        for (Handler handler : root.getHandlers()) {
            handler.setLevel(level.get());
        }
        return true;
    }

    static Optional<Level> parse(String name) {
        String lower = name.trim().toLowerCase(Locale.ROOT);
        return switch (lower) {
            case "trace" -> Optional.of(Level.FINEST);
            case "debug" -> Optional.of(Level.FINE);
            case "info" -> Optional.of(Level.INFO);
            case "warn", "warning" -> Optional.of(Level.WARNING);
            case "error", "severe" -> Optional.of(Level.SEVERE);
            case "off" -> Optional.of(Level.OFF);
            default -> {
                try {
                    yield Optional.of(Level.parse(name.trim().toUpperCase(Locale.ROOT)));
                } catch (IllegalArgumentException unknown) {
                    yield Optional.empty();
                }
            }
        };
    }
}
