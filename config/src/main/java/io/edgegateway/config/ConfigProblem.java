package io.edgegateway.config;

import com.typesafe.config.ConfigOrigin;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One mistake in a configuration, where it was made.
 *
 * @param file the file (or resource, or description) the offending value came from
 * @param line its line number, -1 when unknown
 */
public record ConfigProblem(String file, int line, String message) {

    private static final Pattern MERGED = Pattern.compile("merge of ([^,]+?)(?:: (\\d+)(?:-\\d+)?)?(?:,|$)");

    public ConfigProblem {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(message, "message");
        line = line < 1 ? -1 : line;
    }

    /**
     * At a value's origin. An object merged from several files (the user's over reference.conf) has
     * an origin described as {@code merge of FILE: LINE,...}, the first part being the file that wins.
     */
    static ConfigProblem at(ConfigOrigin origin, String message) {
        Matcher merged = MERGED.matcher(origin.description());
        if (origin.filename() == null && origin.resource() == null && merged.lookingAt()) {
            int line = merged.group(2) == null ? -1 : Integer.parseInt(merged.group(2));
            return new ConfigProblem(merged.group(1), line, message);
        }
        return new ConfigProblem(fileOf(origin), origin.lineNumber(), message);
    }

    private static String fileOf(ConfigOrigin origin) {
        if (origin.filename() != null) {
            return origin.filename();
        }
        if (origin.resource() != null) {
            return origin.resource();
        }
        // description() appends ": LINE" unless the line is unknown.
        return origin.withLineNumber(-1).description();
    }

    /** {@code FILE:LINE: message}, or {@code FILE: message} when the line is unknown. */
    @Override
    public String toString() {
        return location() + ": " + message;
    }

    /** {@code FILE:LINE}, or {@code FILE} when the line is unknown. */
    String location() {
        return line < 0 ? file : file + ":" + line;
    }
}
