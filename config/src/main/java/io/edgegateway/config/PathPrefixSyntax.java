package io.edgegateway.config;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Checks that a route's {@code path-prefix} is spelled in the normal form request paths are brought
 * to before they are matched (unreserved characters unescaped, other escapes in upper case, no dot
 * segments, no empty segments, no separator-like characters), so that a prefix can never be one that
 * no normalised path matches.
 */
final class PathPrefixSyntax {

    private static final String UNRESERVED_MARKS = "-._~";

    private PathPrefixSyntax() {
    }

    /** What the prefix should look like instead, or null when it is fine. */
    static String problem(String prefix) {
        if (!prefix.startsWith("/")) {
            return RouteMatchReader.PATH_EXPECTED;
        }
        for (int i = 0; i < prefix.length(); i++) {
            char c = prefix.charAt(i);
            if (c >= 0x80) {
                return "non-ASCII characters percent-encoded as UTF-8, as requests are matched: " + encodeNonAscii(prefix);
            }
            if (c <= 0x20 || c == 0x7f || c == '?' || c == '#') {
                return RouteMatchReader.PATH_EXPECTED;
            }
            if (c == '\\' || c == ';') {
                return "a path without \\ or ; (requests with them are refused or normalised before matching)";
            }
            if (c == '%') {
                String escape = escapeProblem(prefix, i);
                if (escape != null) {
                    return escape;
                }
            }
        }
        return segmentProblem(prefix);
    }

    private static String escapeProblem(String prefix, int at) {
        if (at + 2 >= prefix.length() || Character.digit(prefix.charAt(at + 1), 16) < 0
                || Character.digit(prefix.charAt(at + 2), 16) < 0) {
            return "% followed by two hex digits";
        }
        int value = Character.digit(prefix.charAt(at + 1), 16) * 16 + Character.digit(prefix.charAt(at + 2), 16);
        if (isUnreserved(value)) {
            return "unreserved characters unescaped, as requests are matched: " + (char) value + " rather than "
                    + prefix.substring(at, at + 3);
        }
        if (value == '/' || value == '\\') {
            return "a path without %2F or %5C (requests with them are refused or normalised before matching)";
        }
        if (Character.isLowerCase(prefix.charAt(at + 1)) || Character.isLowerCase(prefix.charAt(at + 2))) {
            return "escapes in upper case, as requests are matched: " + prefix.substring(at, at + 3).toUpperCase(Locale.ROOT);
        }
        return null;
    }

    /** Dot segments and empty ones never survive normalisation; a trailing dot is ignored when matching. */
    private static String segmentProblem(String prefix) {
        String body = prefix.length() > 1 && prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix;
        if (body.equals("/")) {
            return null;
        }
        for (String segment : body.substring(1).split("/", -1)) {
            if (segment.isEmpty()) {
                return "a path without empty segments (//)";
            }
            if (segment.equals(".") || segment.equals("..")) {
                return "a path without . or .. segments";
            }
            if (segment.endsWith(".")) {
                return "segments that do not end with a dot (a request's segment matches with or without trailing dots)";
            }
        }
        return null;
    }

    static boolean isUnreserved(int c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                || (c < 0x80 && UNRESERVED_MARKS.indexOf(c) >= 0);
    }

    private static String encodeNonAscii(String prefix) {
        StringBuilder out = new StringBuilder();
        for (byte b : prefix.getBytes(StandardCharsets.UTF_8)) {
            if (b < 0) {
                out.append('%').append(Character.toUpperCase(Character.forDigit((b >> 4) & 0xf, 16)))
                        .append(Character.toUpperCase(Character.forDigit(b & 0xf, 16)));
            } else {
                out.append((char) b);
            }
        }
        return out.toString();
    }
}
