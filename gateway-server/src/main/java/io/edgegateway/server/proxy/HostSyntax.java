package io.edgegateway.server.proxy;

import io.netty.util.NetUtil;

/**
 * The syntax of a {@code Host} field value (RFC 9112 §3.2): RFC 3986's {@code host [ ":" port ]},
 * where host is a reg-name (an IPv4 address is one too) or a bracketed IPv6 address.
 *
 * <p>Stricter than RFC 3986 in three ways, each a form some parser downstream reads differently:
 * no {@code ,} (a Host that looks like a list of two), no IPv6 zone or IPvFuture literal, and a
 * {@code :} must be followed by a port of 1 to 5 digits no greater than 65535. The empty value is
 * valid: RFC 9112 §3.2 has a client send it when the target has no authority.
 */
final class HostSyntax {

    private static final int MAX_PORT = 65535;
    private static final int MAX_PORT_DIGITS = 5;

    private HostSyntax() {
    }

    static boolean isValid(String host) {
        int end = host.length();
        int colon;
        if (end > 0 && host.charAt(0) == '[') {
            int close = host.indexOf(']');
            if (close < 0 || !isIpv6(host, 1, close)) {
                return false;
            }
            colon = close + 1;
            if (colon < end && host.charAt(colon) != ':') {
                return false;
            }
        } else {
            colon = host.indexOf(':');
            if (colon == 0) {
                return false; // a port without a host name
            }
            int nameEnd = colon < 0 ? end : colon;
            for (int i = 0; i < nameEnd; i++) {
                if (!isRegNameChar(host, i, nameEnd)) {
                    return false;
                }
            }
            if (colon < 0) {
                return true;
            }
        }
        return colon >= end || isPort(host, colon + 1, end);
    }

    /** Between the brackets: hex digits, {@code :} and the dots of an embedded IPv4 address, nothing else. */
    private static boolean isIpv6(String host, int start, int end) {
        for (int i = start; i < end; i++) {
            char c = host.charAt(i);
            if (!(isHexDigit(c) || c == ':' || c == '.')) {
                return false;
            }
        }
        return end > start && NetUtil.isValidIpV6Address(host.substring(start, end));
    }

    private static boolean isPort(String host, int start, int end) {
        int digits = end - start;
        if (digits < 1 || digits > MAX_PORT_DIGITS) {
            return false;
        }
        int port = 0;
        for (int i = start; i < end; i++) {
            char c = host.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
            port = port * 10 + (c - '0');
        }
        return port <= MAX_PORT;
    }

    /** unreserved / pct-encoded / sub-delims, except {@code ,}; a {@code %} must start a pct-encoded triplet. */
    private static boolean isRegNameChar(String host, int i, int end) {
        char c = host.charAt(i);
        if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
            return true;
        }
        return switch (c) {
            case '-', '.', '_', '~', '!', '$', '&', '\'', '(', ')', '*', '+', ';', '=' -> true;
            case '%' -> i + 2 < end && isHexDigit(host.charAt(i + 1)) && isHexDigit(host.charAt(i + 2));
            default -> false;
        };
    }

    private static boolean isHexDigit(char c) {
        return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F';
    }
}
