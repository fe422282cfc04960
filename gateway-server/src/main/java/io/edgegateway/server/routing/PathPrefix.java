package io.edgegateway.server.routing;

/**
 * A route's path prefix, matched on whole segments of a normalised path: {@code /api/users} matches
 * {@code /api/users} and {@code /api/users/42} but not {@code /api/usersettings}. So that no spelling
 * of the same place escapes the route, a path segment also matches with trailing dots
 * ({@code /api./users}: Windows and IIS drop them) and with parameters ({@code /api;v=1/users}, kept
 * only under {@code path-parameters = keep}: Tomcat and Spring drop them), and in any ASCII case unless
 * the gateway's {@code paths.case-sensitive} is set.
 */
final class PathPrefix {

    private final String value;
    private final String[] segments;
    private final boolean ignoreCase;

    /** {@code value} is in normal form (checked when the configuration was read). */
    PathPrefix(String value, boolean ignoreCase) {
        if (value.length() > 1 && value.endsWith("/")) {
            value = value.substring(0, value.length() - 1);
        }
        this.value = value;
        this.segments = value.equals("/") ? new String[0] : value.substring(1).split("/");
        this.ignoreCase = ignoreCase;
    }

    boolean matches(String path) {
        return matchEnd(path) >= 0;
    }

    /**
     * Where the part of {@code path} this prefix matches ends (at a {@code /} or the path's end),
     * or -1 when it does not match.
     */
    int matchEnd(String path) {
        int length = path.length();
        int i = 0;
        for (String segment : segments) {
            if (i >= length || path.charAt(i) != '/'
                    || !path.regionMatches(ignoreCase, i + 1, segment, 0, segment.length())) {
                return -1;
            }
            i += 1 + segment.length();
            while (i < length && path.charAt(i) == '.') {
                i++;
            }
            if (i < length && path.charAt(i) == ';') {
                int slash = path.indexOf('/', i);
                i = slash < 0 ? length : slash;
            }
            if (i < length && path.charAt(i) != '/') {
                return -1;
            }
        }
        return i;
    }

    /** The path with the part this prefix matches removed, never empty; {@code path} must match. */
    String strip(String path) {
        int end = matchEnd(path);
        if (end <= 0) {
            return path;
        }
        return end == path.length() ? "/" : path.substring(end);
    }

    /** Whether a request path matching one always matches the other. */
    boolean sameAs(PathPrefix other) {
        return ignoreCase ? value.equalsIgnoreCase(other.value) : value.equals(other.value);
    }

    int length() {
        return value.equals("/") ? 0 : value.length();
    }

    String value() {
        return value;
    }
}
