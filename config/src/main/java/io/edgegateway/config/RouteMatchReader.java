package io.edgegateway.config;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/** Reads a route's {@code match { path-prefix, methods, host }}. */
final class RouteMatchReader {

    static final String PATH_EXPECTED = "a path starting with /, without spaces, ? or #";
    private static final String METHOD_EXPECTED = "an HTTP method such as GET";
    private static final String HOST_EXPECTED = "a host name such as api.example.com";
    private static final Pattern HOST = Pattern.compile("[^\\s/?#@]+");

    private RouteMatchReader() {
    }

    static Optional<RouteMatch> read(ConfigReader r) {
        r.rejectUnknownKeys(Set.of("path-prefix", "methods", "host"));
        r.require("path-prefix", PATH_EXPECTED);
        Optional<String> pathPrefix = r.value("path-prefix").flatMap(v -> v.string(PATH_EXPECTED).filter(p -> {
            String problem = PathPrefixSyntax.problem(p);
            return v.check(problem == null, problem);
        }));
        Optional<List<String>> methods = r.value("methods").flatMap(v -> v.listOf("a list of HTTP methods", RouteMatchReader::method));
        Optional<String> host = r.value("host")
                .flatMap(v -> v.string(HOST_EXPECTED)
                        .map(h -> withoutTrailingDots(h.toLowerCase(Locale.ROOT)))
                        .filter(h -> v.check(HOST.matcher(h).matches(), HOST_EXPECTED)));
        return r.build(() -> new RouteMatch(pathPrefix.orElseThrow(), Set.copyOf(methods.orElse(List.of())), host));
    }

    /** {@code api.example.com.} is the same host as {@code api.example.com}; requests are compared without the dot too. */
    private static String withoutTrailingDots(String host) {
        int end = host.length();
        while (end > 0 && host.charAt(end - 1) == '.') {
            end--;
        }
        return host.substring(0, end);
    }

    private static Optional<String> method(ConfigValueReader v) {
        return v.string(METHOD_EXPECTED)
                .filter(m -> v.check(HttpToken.isValid(m), METHOD_EXPECTED))
                .map(m -> m.toUpperCase(Locale.ROOT));
    }
}
