package io.edgegateway.server.proxy;

import io.edgegateway.server.routing.PathNormalizer;

/**
 * A request target split into a normalised path and a query, from origin form ({@code /a?b}) or
 * absolute form ({@code http://host/a?b}, RFC 9112 §3.2.2), whose authority then stands for
 * {@code Host}: it routes the request and is sent upstream as its {@code Host}.
 *
 * @param path normalised ({@link PathNormalizer}): the path routed, and forwarded
 * @param query the query including its {@code ?}, or empty; as sent, but for bytes 0x80-0xFF,
 *     percent-encoded so that they reach the upstream as the same bytes
 * @param authority an absolute-form target's {@code host[:port]}, or null for origin form
 */
record RequestTarget(String path, String query, String authority) {

    private static final String[] SCHEMES = {"http", "https"};

    /** The target, or null when it is malformed or its path is refused by {@code normalizer} (400). */
    static RequestTarget parse(String uri, PathNormalizer normalizer) {
        String rest = uri;
        String authority = null;
        if (!rest.startsWith("/")) {
            int scheme = schemeLength(rest);
            if (scheme < 0) {
                return null;
            }
            int start = scheme + 3;
            int end = start;
            while (end < rest.length() && "/?#".indexOf(rest.charAt(end)) < 0) {
                end++;
            }
            authority = rest.substring(start, end);
            if (authority.isEmpty() || authority.indexOf('@') >= 0) {
                return null;
            }
            rest = end == rest.length() || rest.charAt(end) != '/' ? "/" + rest.substring(end) : rest.substring(end);
        }
        int fragment = rest.indexOf('#');
        if (fragment >= 0) {
            rest = rest.substring(0, fragment);
        }
        int question = rest.indexOf('?');
        String path = normalizer.normalize(question < 0 ? rest : rest.substring(0, question));
        String query = question < 0 ? "" : encodeHighBytes(rest.substring(question));
        return path == null || query == null ? null : new RequestTarget(path, query, authority);
    }

    /** The length of {@code http} or {@code https} when the target starts with it and {@code ://}, else -1. */
    private static int schemeLength(String uri) {
        for (String scheme : SCHEMES) {
            if (uri.regionMatches(true, 0, scheme, 0, scheme.length())
                    && uri.startsWith("://", scheme.length())) {
                return scheme.length();
            }
        }
        return -1;
    }

    /**
     * Netty reads a request line one byte per char and writes it back as UTF-8, which would turn a
     * raw byte 0xC3 into two; escaped, it reaches the upstream as the byte it was. Null for a char
     * above 0xFF, which no request line can hold.
     */
    private static String encodeHighBytes(String query) {
        int first = 0;
        while (first < query.length() && query.charAt(first) < 0x80) {
            first++;
        }
        if (first == query.length()) {
            return query;
        }
        StringBuilder out = new StringBuilder(query.length() + 16).append(query, 0, first);
        for (int i = first; i < query.length(); i++) {
            char c = query.charAt(i);
            if (c > 0xff) {
                return null;
            }
            if (c >= 0x80) {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    String withPath(String newPath) {
        return query.isEmpty() ? newPath : newPath + query;
    }
}
