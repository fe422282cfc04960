package io.edgegateway.loadtest.analysis;

import io.edgegateway.loadtest.DurationText;
import java.math.BigDecimal;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A latency objective judged window by window: "in at least {@code targetPercent}% of the
 * {@code window}-long windows, the latency at {@code percentile} is at most {@code threshold}".
 *
 * @param percentile the percentile judged, in (0, 100), e.g. 99 or 99.9
 * @param thresholdNanos the latency the percentile must not exceed, > 0
 * @param targetPercent the share of windows that must meet it, in (0, 100)
 * @param windowNanos how long a window is, a whole number of seconds
 */
public record SloSpec(double percentile, long thresholdNanos, double targetPercent, long windowNanos) {

    /** The window when the text names none. */
    public static final long DEFAULT_WINDOW_NANOS = 10_000_000_000L;

    private static final String EXPECTED =
            "(expected: pNN=DURATION,target=PERCENT%[,window=SECONDS], e.g. p99=200ms,target=99.5%,window=10s)";

    public SloSpec {
        if (!(percentile > 0 && percentile < 100)) {
            throw new IllegalArgumentException("percentile: " + percentile + " (expected: 0 < p < 100)");
        }
        if (thresholdNanos <= 0) {
            throw new IllegalArgumentException("threshold: " + thresholdNanos + "ns (expected: > 0)");
        }
        if (!(targetPercent > 0 && targetPercent < 100)) {
            throw new IllegalArgumentException("target: " + targetPercent + "% (expected: 0 < target < 100)");
        }
        if (windowNanos < 1_000_000_000L || windowNanos % 1_000_000_000L != 0) {
            throw new IllegalArgumentException("window: " + DurationText.format(windowNanos)
                    + " (expected: a whole number of seconds >= 1s)");
        }
    }

    /**
     * Parses {@code p99=200ms,target=99.5%,window=10s}: the keys in any order, the window optional.
     *
     * @throws IllegalArgumentException naming the bad part and the expected form
     */
    public static SloSpec parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("slo '' is empty " + EXPECTED);
        }
        Map<String, String> parts = new HashMap<>();
        String percentileKey = null;
        for (String part : text.split(",", -1)) {
            int equals = part.indexOf('=');
            if (equals < 0) {
                throw bad(text, "'" + part.trim() + "' is not key=value");
            }
            String key = part.substring(0, equals).trim().toLowerCase(Locale.ROOT);
            String value = part.substring(equals + 1).trim();
            if (key.startsWith("p")) {
                if (percentileKey != null) {
                    throw bad(text, "two percentiles, '" + percentileKey + "' and '" + key + "'");
                }
                percentileKey = key;
            } else if (!key.equals("target") && !key.equals("window")) {
                throw bad(text, "unknown key '" + key + "'");
            }
            if (parts.put(key, value) != null) {
                throw bad(text, "'" + key + "' given twice");
            }
        }
        if (percentileKey == null) {
            throw bad(text, "no percentile key such as p99");
        }
        if (!parts.containsKey("target")) {
            throw bad(text, "no target");
        }
        String percentileText = percentileKey.substring(1);
        if (!percentileText.matches("\\d+(\\.\\d+)?")) {
            throw bad(text, "unknown key '" + percentileKey + "' (a percentile key is p and a number, e.g. p99.9)");
        }
        double percentile = Double.parseDouble(percentileText);
        long threshold = duration(text, percentileKey, parts.get(percentileKey));
        String targetText = parts.get("target");
        double target = number(text, "target", targetText.endsWith("%")
                ? targetText.substring(0, targetText.length() - 1) : targetText);
        long window = parts.containsKey("window") ? duration(text, "window", parts.get("window")) : DEFAULT_WINDOW_NANOS;
        try {
            return new SloSpec(percentile, threshold, target, window);
        } catch (IllegalArgumentException e) {
            throw bad(text, e.getMessage());
        }
    }

    /** The percentile as it is written in the text, e.g. {@code p99.9}. */
    public String percentileName() {
        return "p" + plain(percentile);
    }

    /** The objective in short, e.g. {@code p99<=200ms}. */
    public String objective() {
        return percentileName() + "<=" + DurationText.format(thresholdNanos);
    }

    /** Whole seconds in a window. */
    public long windowSeconds() {
        return windowNanos / 1_000_000_000L;
    }

    /** The canonical text, which {@link #parse} reads back to an equal spec. */
    @Override
    public String toString() {
        return percentileName() + "=" + DurationText.format(thresholdNanos)
                + ",target=" + plain(targetPercent) + "%,window=" + DurationText.format(windowNanos);
    }

    static String plain(double value) {
        return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
    }

    private static double number(String text, String key, String value) {
        if (!value.matches("\\d+(\\.\\d+)?")) {
            throw bad(text, key + " '" + value + "' is not a number");
        }
        return Double.parseDouble(value);
    }

    private static long duration(String text, String key, String value) {
        try {
            return DurationText.parseNanos(value);
        } catch (IllegalArgumentException e) {
            throw bad(text, key + ": " + e.getMessage());
        }
    }

    private static IllegalArgumentException bad(String text, String problem) {
        return new IllegalArgumentException("slo '" + text + "': " + problem + " " + EXPECTED);
    }
}
