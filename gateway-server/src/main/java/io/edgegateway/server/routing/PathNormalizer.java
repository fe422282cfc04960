package io.edgegateway.server.routing;

import io.edgegateway.config.PathParameterPolicy;
import io.edgegateway.config.PathsConfig;
import io.edgegateway.config.SeparatorPolicy;

/**
 * Brings a request path to one spelling (RFC 3986 §6.2.2) before it is routed, and that spelling is
 * the one forwarded, so no spelling can match one route and reach another place upstream:
 * <ul>
 *   <li>escapes of unreserved characters ({@code %7E}, {@code %2e}) are decoded, other escapes get
 *       upper-case hex digits, raw bytes 0x80-0xFF (one char each, as Netty decodes a request line)
 *       are percent-encoded, so raw UTF-8 and its escapes are the same path;
 *   <li>{@code %2F}, {@code \ %5C} and {@code ;} follow {@code gateway.paths} (refuse, keep or
 *       decode; {@code ;} strip);
 *   <li>{@code .} and {@code ..} segments are resolved; a {@code ..} above the root is refused;
 *       {@code //} is merged when {@code merge-slashes} says so.
 * </ul>
 * A bad escape, a control character or a space is refused. Refused means {@link #normalize} returns
 * null: the request gets 400.
 */
public final class PathNormalizer {

    /** reference.conf's policy. */
    public static final PathNormalizer DEFAULT = new PathNormalizer(PathsConfig.DEFAULTS);

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private final SeparatorPolicy escapedSlash;
    private final SeparatorPolicy backslash;
    private final PathParameterPolicy parameters;
    private final boolean mergeSlashes;

    public PathNormalizer(PathsConfig paths) {
        this.escapedSlash = paths.escapedSlash();
        this.backslash = paths.backslash();
        this.parameters = paths.pathParameters();
        this.mergeSlashes = paths.mergeSlashes();
    }

    /**
     * The normal form of {@code path} (which starts with {@code /}), or null when it is refused. A
     * path already in normal form is returned as it is.
     */
    public String normalize(String path) {
        if (path.isEmpty() || path.charAt(0) != '/') {
            return null;
        }
        return isNormal(path) ? path : rewrite(path);
    }

    /** True when nothing in {@code path} would change: the common case, checked without allocating. */
    private boolean isNormal(String path) {
        int length = path.length();
        for (int i = 0; i < length; i++) {
            char c = path.charAt(i);
            if (c <= 0x20 || c >= 0x7f || c == '%' || c == '\\' || c == ';') {
                return false;
            }
            if (c == '/') {
                int next = i + 1;
                if (mergeSlashes && next < length && path.charAt(next) == '/') {
                    return false;
                }
                if (dotSegmentAt(path, next)) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Whether a {@code .} or {@code ..} segment, spelled raw, starts at {@code start}. */
    private static boolean dotSegmentAt(String path, int start) {
        int end = start;
        while (end < path.length() && end - start < 3 && path.charAt(end) == '.') {
            end++;
        }
        int dots = end - start;
        return (dots == 1 || dots == 2) && (end == path.length() || path.charAt(end) == '/');
    }

    private String rewrite(String path) {
        int length = path.length();
        StringBuilder out = new StringBuilder(length + 8);
        Segment segment = new Segment(out);
        int i = 1;
        while (i < length) {
            char c = path.charAt(i);
            if (c == '/') {
                if (!segment.end(false, mergeSlashes)) {
                    return null;
                }
                i++;
                continue;
            }
            if (c == '%') {
                int value = escapedValue(path, i);
                if (value < 0 || !decoded(value, segment)) {
                    return null;
                }
                i += 3;
                continue;
            }
            if (c == ';') {
                if (parameters == PathParameterPolicy.REJECT) {
                    return null;
                }
                if (parameters == PathParameterPolicy.STRIP) {
                    int slash = path.indexOf('/', i);
                    int end = slash < 0 ? length : slash;
                    if (hasForbidden(path, i, end)) {
                        return null;
                    }
                    i = end;
                    continue;
                }
                if (!segment.delimiter(";")) {
                    return null;
                }
                i++;
                continue;
            }
            if (c == '\\') {
                if (!separator(backslash, "\\", segment)) {
                    return null;
                }
                i++;
                continue;
            }
            if (c <= 0x20 || c == 0x7f || c > 0xff) {
                return null;
            }
            if (c >= 0x80) {
                appendEscape(out, c);
            } else {
                out.append(c);
            }
            i++;
        }
        if (!segment.end(true, mergeSlashes)) {
            return null;
        }
        return out.isEmpty() ? "/" : out.toString();
    }

    /** Handles the escape {@code %XX} of {@code value}; false when the path is refused. */
    private boolean decoded(int value, Segment segment) {
        if (isUnreserved(value)) {
            segment.out.append((char) value);
            return true;
        }
        if (value == '/') {
            return separator(escapedSlash, "%2F", segment);
        }
        if (value == '\\') {
            return separator(backslash, "%5C", segment);
        }
        appendEscape(segment.out, value);
        return true;
    }

    private boolean separator(SeparatorPolicy policy, String kept, Segment segment) {
        return switch (policy) {
            case REJECT -> false;
            case KEEP -> segment.delimiter(kept);
            case DECODE -> segment.end(false, mergeSlashes);
        };
    }

    /** The value of the escape at {@code at}, or -1 when it is not {@code %} and two hex digits. */
    private static int escapedValue(String path, int at) {
        if (at + 2 >= path.length()) {
            return -1;
        }
        int high = hexDigit(path.charAt(at + 1));
        int low = hexDigit(path.charAt(at + 2));
        return high < 0 || low < 0 ? -1 : high * 16 + low;
    }

    private static int hexDigit(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        return -1;
    }

    /** ALPHA DIGIT - . _ ~ (RFC 3986 §2.3): ASCII only, so a decoded byte above 0x7F stays escaped. */
    static boolean isUnreserved(int c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                || c == '-' || c == '.' || c == '_' || c == '~';
    }

    private static boolean hasForbidden(String path, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = path.charAt(i);
            if (c <= 0x20 || c == 0x7f || c > 0xff) {
                return true;
            }
        }
        return false;
    }

    static void appendEscape(StringBuilder out, int value) {
        out.append('%').append(HEX[value >> 4]).append(HEX[value & 0xf]);
    }

    /**
     * The segment being written at the end of {@code out}, which holds the resolved path so far as
     * {@code /segment} pieces. A kept separator ({@code %2F}, {@code \}, {@code %5C}) or {@code ;}
     * splits the segment into parts, none of which may be {@code .} or {@code ..}: an upstream that
     * reads them as separators would climb with them.
     */
    private static final class Segment {

        final StringBuilder out;
        /** Where the current segment's text starts, just after its {@code /}. */
        int start;
        /** Where the current part of the segment starts. */
        int partStart;

        Segment(StringBuilder out) {
            this.out = out;
            out.append('/');
            start = 1;
            partStart = 1;
        }

        /** Appends a kept separator or {@code ;} after checking the part before it; false when refused. */
        boolean delimiter(String kept) {
            if (dots(partStart) > 0) {
                return false;
            }
            out.append(kept);
            partStart = out.length();
            return true;
        }

        /**
         * Ends the segment: resolves it when it is {@code .} or {@code ..}, drops it when it is empty
         * and slashes merge (but never the last, a trailing slash), and opens the next one unless
         * {@code last}. False when the path is refused.
         */
        boolean end(boolean last, boolean mergeSlashes) {
            if (partStart != start) {
                if (dots(partStart) > 0) {
                    return false;
                }
            } else {
                int dots = dots(start);
                if (dots == 1) {
                    out.setLength(start);
                    return next();
                }
                if (dots == 2) {
                    out.setLength(start - 1);
                    if (out.isEmpty()) {
                        return false;
                    }
                    out.setLength(out.lastIndexOf("/") + 1);
                    return next();
                }
                if (out.length() == start && mergeSlashes && !last) {
                    return true;
                }
            }
            if (!last) {
                out.append('/');
                start = out.length();
                partStart = start;
            }
            return true;
        }

        /** After a resolved dot segment the path so far ends with its {@code /}: the next segment starts there. */
        private boolean next() {
            start = out.length();
            partStart = start;
            return true;
        }

        /** 1 or 2 when the text from {@code from} to the end is {@code .} or {@code ..}, else 0. */
        private int dots(int from) {
            int length = out.length() - from;
            if (length < 1 || length > 2) {
                return 0;
            }
            for (int i = from; i < out.length(); i++) {
                if (out.charAt(i) != '.') {
                    return 0;
                }
            }
            return length;
        }
    }
}
