package io.edgegateway.filters.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CidrTest {

    @Test
    void matchesIpv4Prefixes() {
        Cidr loopback = Cidr.parse("127.0.0.0/8");

        assertThat(contains(loopback, "127.0.0.1")).isTrue();
        assertThat(contains(loopback, "127.255.255.255")).isTrue();
        assertThat(contains(loopback, "128.0.0.1")).isFalse();
        assertThat(contains(loopback, "126.255.255.255")).isFalse();
    }

    @Test
    void matchesPrefixesThatAreNotWholeBytes() {
        Cidr range = Cidr.parse("10.0.16.0/20");

        assertThat(contains(range, "10.0.16.0")).isTrue();
        assertThat(contains(range, "10.0.31.255")).isTrue();
        assertThat(contains(range, "10.0.32.0")).isFalse();
        assertThat(contains(range, "10.0.15.255")).isFalse();
    }

    @Test
    void aBareAddressIsOneHost() {
        assertThat(contains(Cidr.parse("192.0.2.7"), "192.0.2.7")).isTrue();
        assertThat(contains(Cidr.parse("192.0.2.7"), "192.0.2.8")).isFalse();
        assertThat(contains(Cidr.parse("2001:db8::7"), "2001:db8:0::7")).isTrue();
        assertThat(contains(Cidr.parse("2001:db8::7"), "2001:db8::8")).isFalse();
    }

    @Test
    void zeroPrefixMatchesTheWholeFamilyOnly() {
        assertThat(contains(Cidr.parse("0.0.0.0/0"), "203.0.113.9")).isTrue();
        assertThat(contains(Cidr.parse("0.0.0.0/0"), "2001:db8::1")).isFalse();
        assertThat(contains(Cidr.parse("::/0"), "2001:db8::1")).isTrue();
        assertThat(contains(Cidr.parse("::/0"), "203.0.113.9")).isFalse();
    }

    @Test
    void matchesIpv6Prefixes() {
        Cidr range = Cidr.parse("fd00::/8");

        assertThat(contains(range, "fd12:3456::1")).isTrue();
        assertThat(contains(range, "FDFF:FFFF::")).isTrue();
        assertThat(contains(range, "fe00::1")).isFalse();
        assertThat(contains(Cidr.parse("2001:db8:abcd::/49"), "2001:db8:abcd:7fff::1")).isTrue();
        assertThat(contains(Cidr.parse("2001:db8:abcd::/49"), "2001:db8:abcd:8000::1")).isFalse();
    }

    @Test
    void ipv4MappedAddressesAreIpv4() {
        assertThat(contains(Cidr.parse("10.0.0.0/8"), "::ffff:10.1.2.3")).isTrue();
        assertThat(contains(Cidr.parse("::ffff:10.0.0.0/104"), "10.1.2.3")).isTrue();
        assertThat(contains(Cidr.parse("::ffff:10.0.0.0/104"), "11.1.2.3")).isFalse();
        assertThat(Cidr.parse("::ffff:10.0.0.0/104")).hasToString("10.0.0.0/8");
        assertThat(Cidr.parse("::ffff:10.0.0.1")).hasToString("10.0.0.1/32");
    }

    @Test
    void ignoresHostBits() {
        assertThat(Cidr.parse("10.1.2.3/8")).hasToString("10.0.0.0/8");
        assertThat(contains(Cidr.parse("10.1.2.3/8"), "10.200.0.1")).isTrue();
        assertThat(Cidr.parse("2001:db8::ff/120")).hasToString("2001:db8::/120");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "", "/8", "10.0.0.0/", "10.0.0.0/33", "10.0.0.0/-1", "10.0.0.0/+8", "10.0.0.0/8/8", "10.0.0/8", "256.0.0.0/8",
        "::/129", "[::1]/128", "localhost", "localhost/8", "example.com/24", "10.0.0.0/ 8", "10.0.0.0/0008",
    })
    void refusesWhatIsNotACidr(String text) {
        assertThatIllegalArgumentException().isThrownBy(() -> Cidr.parse(text));
    }

    @Test
    void ipLiteralsAreParsedWithoutLookupAndFormattedCanonically() {
        assertThat(IpLiteral.parse("localhost")).isNull();
        assertThat(IpLiteral.parse("example.com")).isNull();
        assertThat(IpLiteral.parse("1.2.3.4:80")).isNull();
        assertThat(IpLiteral.parse(" 1.2.3.4")).isNull();
        assertThat(IpLiteral.parse("1.2.3")).isNull();
        assertThat(IpLiteral.format(IpLiteral.parse("192.0.2.1"))).isEqualTo("192.0.2.1");
        assertThat(IpLiteral.format(IpLiteral.parse("2001:DB8:0:0:0:0:0:1"))).isEqualTo("2001:db8::1");
        assertThat(IpLiteral.format(IpLiteral.parse("0:0:0:0:0:0:0:1"))).isEqualTo("::1");
        assertThat(IpLiteral.format(IpLiteral.parse("[2001:db8::1]"))).isEqualTo("2001:db8::1");
        assertThat(IpLiteral.format(IpLiteral.parse("fe80::1%eth0"))).isEqualTo("fe80::1");
        assertThat(IpLiteral.format(IpLiteral.parse("::ffff:192.0.2.1"))).isEqualTo("192.0.2.1");
        assertThat(IpLiteral.format(IpLiteral.parse("::ffff:c000:0201"))).isEqualTo("192.0.2.1");
    }

    private static boolean contains(Cidr cidr, String address) {
        return cidr.contains(IpLiteral.parse(address));
    }
}
