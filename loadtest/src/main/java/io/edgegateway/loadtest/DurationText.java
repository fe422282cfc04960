package io.edgegateway.loadtest;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as people write them on a command line: {@code 250us}, {@code 50ms}, {@code 1.5s}, {@code 2m}. */
public final class DurationText {

    private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)(ns|us|ms|s|m|h)");

    private DurationText() {
    }

    /**
     * Parses a number followed by one of the units ns, us, ms, s, m, h; a bare {@code 0} is also accepted.
     *
     * @throws IllegalArgumentException naming the text and the expected form
     */
    public static long parseNanos(String text) {
        String trimmed = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        if (trimmed.equals("0")) {
            return 0;
        }
        Matcher matcher = DURATION.matcher(trimmed);
        if (!matcher.matches()) {
            throw new IllegalArgumentException(
                    "duration '" + text + "' (expected: a number with a unit ns, us, ms, s, m or h, e.g. 50ms)");
        }
        try {
            return new BigDecimal(matcher.group(1))
                    .multiply(BigDecimal.valueOf(unitNanos(matcher.group(2))))
                    .setScale(0, RoundingMode.HALF_UP)
                    .longValueExact();
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("duration '" + text + "' is too long (expected: < 292 years)", e);
        }
    }

    /** The shortest exact text for a duration, e.g. {@code 150ms} or {@code 1500us}. */
    public static String format(long nanos) {
        if (nanos == 0) {
            return "0ms";
        }
        if (nanos % 1_000_000_000L == 0) {
            return nanos / 1_000_000_000L + "s";
        }
        if (nanos % 1_000_000L == 0) {
            return nanos / 1_000_000L + "ms";
        }
        if (nanos % 1_000L == 0) {
            return nanos / 1_000L + "us";
        }
        return nanos + "ns";
    }

    private static long unitNanos(String unit) {
        return switch (unit) {
            case "ns" -> 1L;
            case "us" -> 1_000L;
            case "ms" -> 1_000_000L;
            case "s" -> 1_000_000_000L;
            case "m" -> 60_000_000_000L;
            case "h" -> 3_600_000_000_000L;
            default -> throw new IllegalStateException("unit " + unit);
        };
    }
}
