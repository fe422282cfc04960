package io.edgegateway.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/** Checks {@code address/prefix} notation for IPv4 and IPv6; a bare address means a single host. */
final class CidrSyntax {

    private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");
    private static final Pattern IPV6_CHARS = Pattern.compile("[0-9A-Fa-f:][0-9A-Fa-f:.]*");
    private static final Pattern PREFIX = Pattern.compile("\\d{1,3}");

    private CidrSyntax() {
    }

    static boolean isValid(String cidr) {
        int slash = cidr.indexOf('/');
        String address = slash < 0 ? cidr : cidr.substring(0, slash);
        int maxPrefix;
        if (isIpv4(address)) {
            maxPrefix = 32;
        } else if (isIpv6(address)) {
            maxPrefix = 128;
        } else {
            return false;
        }
        if (slash < 0) {
            return true;
        }
        String prefix = cidr.substring(slash + 1);
        return PREFIX.matcher(prefix).matches() && Integer.parseInt(prefix) <= maxPrefix;
    }

    private static boolean isIpv4(String address) {
        var m = IPV4.matcher(address);
        if (!m.matches()) {
            return false;
        }
        for (int group = 1; group <= 4; group++) {
            if (Integer.parseInt(m.group(group)) > 255) {
                return false;
            }
        }
        return true;
    }

    /** The character check guarantees a literal, so InetAddress parses it without a DNS lookup. */
    private static boolean isIpv6(String address) {
        if (!address.contains(":") || !IPV6_CHARS.matcher(address).matches()) {
            return false;
        }
        try {
            InetAddress.getByName(address);
            return true;
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
