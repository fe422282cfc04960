package io.edgegateway.filters.identity;

import io.netty.util.NetUtil;

/**
 * IP address literals as raw bytes, parsed without any name lookup: 4 bytes for IPv4, 16 for IPv6,
 * and an IPv4-mapped IPv6 address ({@code ::ffff:a.b.c.d}) becomes its 4 IPv4 bytes so it matches
 * IPv4 ranges and identifies the same client as the plain IPv4 form.
 */
final class IpLiteral {

    private IpLiteral() {
    }

    /**
     * The address in {@code text}: dotted IPv4, or IPv6 optionally in brackets or with a {@code %zone}
     * (dropped); null when it is anything else, host names included.
     */
    static byte[] parse(String text) {
        byte[] address = NetUtil.createByteArrayFromIpAddressString(text);
        if (address == null || address.length != 16 || !isIpv4Mapped(address)) {
            return address;
        }
        byte[] ipv4 = new byte[4];
        System.arraycopy(address, 12, ipv4, 0, 4);
        return ipv4;
    }

    /** The canonical text: dotted decimal for IPv4, RFC 5952 (lower case, longest zero run as ::) for IPv6. */
    static String format(byte[] address) {
        return NetUtil.bytesToIpAddress(address);
    }

    private static boolean isIpv4Mapped(byte[] address) {
        for (int i = 0; i < 10; i++) {
            if (address[i] != 0) {
                return false;
            }
        }
        return address[10] == (byte) 0xff && address[11] == (byte) 0xff;
    }
}
