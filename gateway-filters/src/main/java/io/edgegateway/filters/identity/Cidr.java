package io.edgegateway.filters.identity;

import java.util.Arrays;

/**
 * An IPv4 or IPv6 address range in {@code address/prefix} notation; a bare address is a single host.
 *
 * <p>Matching is on raw bytes from {@link IpLiteral}, so an IPv4-mapped IPv6 range such as
 * {@code ::ffff:10.0.0.0/104} is the IPv4 range {@code 10.0.0.0/8}; other IPv6 ranges never
 * contain IPv4 addresses. Host bits set in the address are ignored.
 */
final class Cidr {

    private final byte[] network;
    private final int prefixLength;

    private Cidr(byte[] network, int prefixLength) {
        this.network = network;
        this.prefixLength = prefixLength;
    }

    /** @throws IllegalArgumentException when {@code text} is not an address literal with an optional in-range prefix */
    static Cidr parse(String text) {
        int slash = text.indexOf('/');
        String literal = slash < 0 ? text : text.substring(0, slash);
        byte[] address = literal.startsWith("[") ? null : IpLiteral.parse(literal);
        if (address == null) {
            throw new IllegalArgumentException(text + " (expected: a CIDR such as 10.0.0.0/8 or fd00::/8)");
        }
        boolean mapped = address.length == 4 && literal.indexOf(':') >= 0;
        int maxPrefix = mapped ? 128 : address.length * 8;
        int prefix = slash < 0 ? maxPrefix : prefixLength(text.substring(slash + 1), maxPrefix);
        if (prefix < 0) {
            throw new IllegalArgumentException(text + " (expected: a prefix length from 0 to " + maxPrefix + ")");
        }
        if (!mapped) {
            return new Cidr(masked(address, prefix), prefix);
        }
        if (prefix < 96) {
            // Wider than the mapped block: an IPv6 range, which IPv4 (and IPv4-mapped) addresses never match.
            return new Cidr(masked(ipv4Mapped(address), prefix), prefix);
        }
        return new Cidr(masked(address, prefix - 96), prefix - 96);
    }

    /** Whether {@code address} (4 or 16 bytes from {@link IpLiteral#parse}) is in this range. */
    boolean contains(byte[] address) {
        if (address.length != network.length) {
            return false;
        }
        int fullBytes = prefixLength / 8;
        for (int i = 0; i < fullBytes; i++) {
            if (address[i] != network[i]) {
                return false;
            }
        }
        int restBits = prefixLength % 8;
        if (restBits == 0) {
            return true;
        }
        int mask = (0xff << (8 - restBits)) & 0xff;
        return (address[fullBytes] & mask) == (network[fullBytes] & 0xff);
    }

    @Override
    public String toString() {
        return IpLiteral.format(network) + "/" + prefixLength;
    }

    private static int prefixLength(String digits, int max) {
        if (digits.isEmpty() || digits.length() > 3) {
            return -1;
        }
        for (int i = 0; i < digits.length(); i++) {
            if (digits.charAt(i) < '0' || digits.charAt(i) > '9') {
                return -1;
            }
        }
        int value = Integer.parseInt(digits);
        return value <= max ? value : -1;
    }

    private static byte[] ipv4Mapped(byte[] ipv4) {
        byte[] address = new byte[16];
        address[10] = (byte) 0xff;
        address[11] = (byte) 0xff;
        System.arraycopy(ipv4, 0, address, 12, 4);
        return address;
    }

    private static byte[] masked(byte[] address, int prefix) {
        byte[] network = Arrays.copyOf(address, address.length);
        for (int bit = prefix; bit < network.length * 8; bit++) {
            network[bit / 8] &= (byte) ~(0x80 >>> (bit % 8));
        }
        return network;
    }
}
