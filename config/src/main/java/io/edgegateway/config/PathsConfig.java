package io.edgegateway.config;

import java.util.Objects;

/**
 * How request paths are normalised before they are routed and forwarded: {@code gateway.paths}.
 *
 * @param escapedSlash what {@code %2F} becomes
 * @param backslash what {@code \} and {@code %5C} become
 * @param pathParameters what a {@code ;} in a segment does
 * @param mergeSlashes whether {@code //} is taken as {@code /}
 * @param caseSensitive whether route prefixes match only in their own ASCII case
 */
public record PathsConfig(
        SeparatorPolicy escapedSlash,
        SeparatorPolicy backslash,
        PathParameterPolicy pathParameters,
        boolean mergeSlashes,
        boolean caseSensitive) {

    /** reference.conf's settings. */
    public static final PathsConfig DEFAULTS = new PathsConfig(
            SeparatorPolicy.REJECT, SeparatorPolicy.REJECT, PathParameterPolicy.REJECT, true, false);

    public PathsConfig {
        Objects.requireNonNull(escapedSlash, "escapedSlash");
        Objects.requireNonNull(backslash, "backslash");
        Objects.requireNonNull(pathParameters, "pathParameters");
    }
}
