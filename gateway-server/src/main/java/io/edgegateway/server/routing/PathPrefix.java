package io.edgegateway.server.routing;

/**
 * A route's path prefix, matched on whole segments: {@code /api/users} matches {@code /api/users}
 * and {@code /api/users/42} but not {@code /api/usersettings}.
 */
record PathPrefix(String value) {

    PathPrefix {
        if (value.length() > 1 && value.endsWith("/")) {
            value = value.substring(0, value.length() - 1);
        }
    }

    boolean matches(String path) {
        if (value.equals("/")) {
            return true;
        }
        return path.startsWith(value)
                && (path.length() == value.length() || path.charAt(value.length()) == '/');
    }

    /** The path with this prefix removed, never empty. */
    String strip(String path) {
        if (value.equals("/")) {
            return path;
        }
        String rest = path.substring(value.length());
        return rest.isEmpty() ? "/" : rest;
    }

    int length() {
        return value.equals("/") ? 0 : value.length();
    }
}
