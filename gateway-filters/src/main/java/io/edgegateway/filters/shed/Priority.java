package io.edgegateway.filters.shed;

/** How willing a request is to be shed: {@link #LOW} goes first, {@link #HIGH} only when the route is full. */
public enum Priority {
    LOW,
    NORMAL,
    HIGH;

    /** The request header a client sets to {@code low}, {@code normal} or {@code high}. */
    public static final String HEADER = "X-Priority";

    /** The header's value, case-insensitive; absent or unknown values are {@link #NORMAL}. */
    public static Priority fromHeader(String value) {
        if (value == null) {
            return NORMAL;
        }
        if (value.equalsIgnoreCase("low")) {
            return LOW;
        }
        if (value.equalsIgnoreCase("high")) {
            return HIGH;
        }
        return NORMAL;
    }
}
