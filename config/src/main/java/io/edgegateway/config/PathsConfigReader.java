package io.edgegateway.config;

import java.util.Optional;
import java.util.Set;

/** Reads {@code gateway.paths}. */
final class PathsConfigReader {

    private PathsConfigReader() {
    }

    static Optional<PathsConfig> read(ConfigReader r) {
        r.rejectUnknownKeys(Set.of("escaped-slash", "backslash", "path-parameters", "merge-slashes", "case-sensitive"));
        r.require("escaped-slash", "reject, keep or decode");
        r.require("backslash", "reject, keep or decode");
        r.require("path-parameters", "reject, keep or strip");
        r.require("merge-slashes", "true or false");
        r.require("case-sensitive", "true or false");
        Optional<SeparatorPolicy> escapedSlash = r.choice("escaped-slash", SeparatorPolicy.class);
        Optional<SeparatorPolicy> backslash = r.choice("backslash", SeparatorPolicy.class);
        Optional<PathParameterPolicy> parameters = r.choice("path-parameters", PathParameterPolicy.class);
        Optional<Boolean> mergeSlashes = r.bool("merge-slashes");
        Optional<Boolean> caseSensitive = r.bool("case-sensitive");
        return r.build(() -> new PathsConfig(escapedSlash.orElseThrow(), backslash.orElseThrow(), parameters.orElseThrow(),
                mergeSlashes.orElseThrow(), caseSensitive.orElseThrow()));
    }
}
