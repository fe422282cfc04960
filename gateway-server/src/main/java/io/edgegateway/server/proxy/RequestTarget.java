package io.edgegateway.server.proxy;

/**
 * A request target split into path and query, from origin form ({@code /a?b}) or absolute form
 * ({@code http://host/a?b}).
 *
 * @param query the query including its {@code ?}, or empty
 */
record RequestTarget(String path, String query) {

    /** The target, or null when it is malformed or walks out of its prefix with dot segments. */
    static RequestTarget parse(String uri) {
        String rest = uri;
        if (!rest.startsWith("/")) {
            int scheme = rest.indexOf("://");
            if (scheme <= 0) {
                return null;
            }
            int slash = rest.indexOf('/', scheme + 3);
            rest = slash < 0 ? "/" : rest.substring(slash);
        }
        int fragment = rest.indexOf('#');
        if (fragment >= 0) {
            rest = rest.substring(0, fragment);
        }
        int question = rest.indexOf('?');
        String path = question < 0 ? rest : rest.substring(0, question);
        String query = question < 0 ? "" : rest.substring(question);
        return hasDotSegment(path) ? null : new RequestTarget(path, query);
    }

    /**
     * True when a segment is {@code .} or {@code ..}, also percent-encoded: such a path could
     * match one route here and be resolved to another place upstream.
     */
    private static boolean hasDotSegment(String path) {
        int start = 1;
        while (start <= path.length()) {
            int slash = path.indexOf('/', start);
            int end = slash < 0 ? path.length() : slash;
            int dots = dotsIn(path, start, end);
            if (dots == 1 || dots == 2) {
                return true;
            }
            start = end + 1;
        }
        return false;
    }

    /** How many dots the segment is made of, counting {@code %2e} as one; -1 when it has anything else. */
    private static int dotsIn(String path, int start, int end) {
        int dots = 0;
        int i = start;
        while (i < end) {
            if (path.charAt(i) == '.') {
                i++;
            } else if (i + 3 <= end && path.regionMatches(true, i, "%2e", 0, 3)) {
                i += 3;
            } else {
                return -1;
            }
            dots++;
        }
        return dots;
    }

    String withPath(String newPath) {
        return query.isEmpty() ? newPath : newPath + query;
    }
}
