package io.edgegateway.loadtest.report;

import java.util.Locale;

/** How figures read in the HTML report: as few digits as still tell values apart. */
final class Figures {

    private Figures() {
    }

    /** A latency in milliseconds with its unit, e.g. {@code 0.42 ms}, {@code 12.3 ms}, {@code 1250 ms}. */
    static String millis(double millis) {
        return number(millis) + " ms";
    }

    /** A number with three significant digits or more, without grouping, e.g. {@code 0.042}, {@code 3.14}, {@code 1250}. */
    static String number(double value) {
        if (!Double.isFinite(value)) {
            return "-";
        }
        double magnitude = Math.abs(value);
        String pattern = magnitude >= 100 || value == Math.rint(value) ? "%.0f"
                : magnitude >= 10 ? "%.1f"
                : magnitude >= 1 ? "%.2f"
                : "%.3f";
        return String.format(Locale.ROOT, pattern, value);
    }

    /** A count with thousands grouped, e.g. {@code 1,234,567}. */
    static String count(long count) {
        return String.format(Locale.ROOT, "%,d", count);
    }

    /** A rate in requests per second, e.g. {@code 998 req/s}. */
    static String rate(double perSecond) {
        return number(perSecond) + " req/s";
    }

    /** A share (1 = 100%) as a percentage with one decimal, e.g. {@code 99.5%}. */
    static String percent(double share) {
        return String.format(Locale.ROOT, "%.1f%%", share * 100);
    }
}
