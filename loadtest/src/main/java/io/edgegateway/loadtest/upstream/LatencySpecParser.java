package io.edgegateway.loadtest.upstream;

import io.edgegateway.loadtest.DurationText;
import java.util.Locale;

/** Reads the text form of every {@link LatencyShape}; see {@link LatencyShape#parse(String)}. */
final class LatencySpecParser {

    private static final String KINDS = "none, fixed, lognormal, bimodal, heavy-tail, degrading";

    private LatencySpecParser() {
    }

    static LatencyShape parse(String spec) {
        if (spec == null || spec.isBlank()) {
            throw new IllegalArgumentException("latency spec is empty (expected one of: " + KINDS + ", e.g. fixed:1ms)");
        }
        String[] parts = spec.trim().split(":", -1);
        String kind = parts[0].trim().toLowerCase(Locale.ROOT);
        String form = formOf(kind);
        if (form == null) {
            throw new IllegalArgumentException(
                    "latency spec '" + spec + "': unknown shape '" + kind + "' (expected one of: " + KINDS + ")");
        }
        try {
            return build(kind, parts);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "latency spec '" + spec + "': " + e.getMessage() + "; the form is " + form, e);
        }
    }

    private static String formOf(String kind) {
        return switch (kind) {
            case "none" -> "none";
            case "fixed" -> FixedLatency.FORM;
            case "lognormal" -> LognormalLatency.FORM;
            case "bimodal" -> BimodalLatency.FORM;
            case "heavy-tail" -> HeavyTailLatency.FORM;
            case "degrading" -> DegradingLatency.FORM;
            default -> null;
        };
    }

    private static LatencyShape build(String kind, String[] parts) {
        switch (kind) {
            case "none":
                expectParts(parts, 1, 1);
                return LatencyShape.none();
            case "fixed":
                expectParts(parts, 2, 2);
                return new FixedLatency(duration(parts[1], "delay"));
            case "lognormal":
                expectParts(parts, 3, 3);
                return new LognormalLatency(duration(parts[1], "median"), number(parts[2], "sigma"));
            case "bimodal":
                expectParts(parts, 4, 4);
                return new BimodalLatency(
                        number(parts[1], "fast probability"), duration(parts[2], "fast delay"),
                        duration(parts[3], "slow delay"));
            case "heavy-tail":
                expectParts(parts, 4, 4);
                String[] range = parts[3].split("-", -1);
                if (range.length != 2) {
                    throw new IllegalArgumentException("tail range '" + parts[3] + "' is not MIN-MAX");
                }
                return new HeavyTailLatency(
                        duration(parts[1], "base delay"), number(parts[2], "tail probability"),
                        duration(range[0], "tail minimum"), duration(range[1], "tail maximum"));
            case "degrading":
                expectParts(parts, 3, 4);
                long ramp = parts.length == 4 ? duration(parts[3], "ramp") : DegradingLatency.DEFAULT_RAMP_NANOS;
                return new DegradingLatency(duration(parts[1], "initial delay"), factor(parts[2]), ramp);
            default:
                throw new IllegalStateException("kind " + kind);
        }
    }

    private static void expectParts(String[] parts, int min, int max) {
        if (parts.length < min || parts.length > max) {
            throw new IllegalArgumentException("has " + parts.length + " colon-separated parts, expected "
                    + (min == max ? min : min + " or " + max));
        }
    }

    private static long duration(String text, String what) {
        try {
            return DurationText.parseNanos(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(what + ": " + e.getMessage(), e);
        }
    }

    private static double number(String text, String what) {
        try {
            double value = Double.parseDouble(text.trim());
            if (Double.isFinite(value)) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(what + " '" + text + "' is not a number");
    }

    private static double factor(String text) {
        String trimmed = text.trim().toLowerCase(Locale.ROOT);
        String digits = trimmed.endsWith("x") ? trimmed.substring(0, trimmed.length() - 1) : trimmed;
        return number(digits, "growth factor");
    }
}
