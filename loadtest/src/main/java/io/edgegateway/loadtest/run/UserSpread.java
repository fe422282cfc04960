package io.edgegateway.loadtest.run;

/**
 * How identities are drawn for requests: every one equally often, or by Zipf's law with exponent
 * {@code s} (identity k, from 1, drawn in proportion to 1/k^s), as real API traffic skews to a
 * few heavy callers.
 */
public record UserSpread(Kind kind, double exponent) {

    public enum Kind { UNIFORM, ZIPF }

    public static final UserSpread UNIFORM = new UserSpread(Kind.UNIFORM, 0);

    /** Parses {@code uniform}, {@code zipf} (exponent 1) or {@code zipf:S}. */
    public static UserSpread parse(String text) {
        String trimmed = text.trim();
        if (trimmed.equals("uniform")) {
            return UNIFORM;
        }
        if (trimmed.equals("zipf")) {
            return new UserSpread(Kind.ZIPF, 1);
        }
        if (trimmed.startsWith("zipf:")) {
            try {
                double exponent = Double.parseDouble(trimmed.substring(5));
                if (exponent > 0 && exponent <= 10) {
                    return new UserSpread(Kind.ZIPF, exponent);
                }
            } catch (NumberFormatException e) {
                // reported below
            }
        }
        throw new IllegalArgumentException("spread '" + text + "' (expected: uniform, zipf or zipf:S with 0 < S <= 10)");
    }

    @Override
    public String toString() {
        return kind == Kind.UNIFORM ? "uniform" : "zipf:" + exponent;
    }
}
