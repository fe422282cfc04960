package io.edgegateway.filters.identity;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgegateway.config.ClientIpIdentity;
import io.edgegateway.config.IdentityConfig;
import io.edgegateway.filters.identity.IdentityResult.Identified;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClientIpTest {

    private final IdentityResolver resolver = resolver("127.0.0.0/8", "10.0.0.0/8", "fd00::/8");

    @Test
    void withoutForwardedForThePeerIsTheClient() {
        assertThat(resolver.resolve(new DefaultHttpHeaders(), "203.0.113.5")).isEqualTo(client("203.0.113.5"));
        assertThat(resolver.resolve(new DefaultHttpHeaders(), "127.0.0.1")).isEqualTo(client("127.0.0.1"));
    }

    @Test
    void forwardedForFromAnUntrustedPeerIsIgnored() {
        assertThat(resolver.resolve(forwardedFor("1.2.3.4"), "203.0.113.5")).isEqualTo(client("203.0.113.5"));
    }

    @Test
    void aTrustedChainIsWalkedToTheFirstUntrustedAddress() {
        HttpHeaders headers = forwardedFor("6.6.6.6, 198.51.100.9, 10.1.1.1, 127.0.0.1");

        assertThat(resolver.resolve(headers, "10.0.0.2")).isEqualTo(client("198.51.100.9"));
    }

    @Test
    void whenAllAreTrustedTheLeftmostIsTheClient() {
        assertThat(resolver.resolve(forwardedFor("10.9.9.9, 10.1.1.1"), "127.0.0.1")).isEqualTo(client("10.9.9.9"));
    }

    @Test
    void severalForwardedForHeadersAreJoinedInOrder() {
        HttpHeaders headers = new DefaultHttpHeaders()
                .add("X-Forwarded-For", "6.6.6.6, 198.51.100.9")
                .add("x-forwarded-for", "10.1.1.1");

        assertThat(resolver.resolve(headers, "127.0.0.1")).isEqualTo(client("198.51.100.9"));
        assertThat(resolver.resolve(new DefaultHttpHeaders().add("X-Forwarded-For", "6.6.6.6").add("X-Forwarded-For", "10.1.1.1"), "127.0.0.1"))
                .isEqualTo(client("6.6.6.6"));
    }

    @Test
    void walksIpv6AndAnswersInCanonicalForm() {
        HttpHeaders headers = forwardedFor("2001:DB8:0:0:0:0:0:1, fd00::5");

        assertThat(resolver.resolve(headers, "fd12::1")).isEqualTo(client("2001:db8::1"));
        assertThat(resolver.resolve(new DefaultHttpHeaders(), "0:0:0:0:0:0:0:1")).isEqualTo(client("::1"));
        assertThat(resolver.resolve(forwardedFor("[2001:db8::2]"), "127.0.0.1")).isEqualTo(client("2001:db8::2"));
    }

    @Test
    void ipv4MappedPeersAreIpv4() {
        assertThat(resolver.resolve(forwardedFor("192.0.2.44"), "::ffff:127.0.0.1")).isEqualTo(client("192.0.2.44"));
        assertThat(resolver.resolve(new DefaultHttpHeaders(), "::ffff:192.0.2.44")).isEqualTo(client("192.0.2.44"));
    }

    @Test
    void aMalformedEntryStopsTheWalkAtTheLastGoodAddress() {
        assertThat(resolver.resolve(forwardedFor("6.6.6.6, unknown, 10.1.1.1"), "127.0.0.1")).isEqualTo(client("10.1.1.1"));
        assertThat(resolver.resolve(forwardedFor("6.6.6.6, evil.example.com"), "127.0.0.1")).isEqualTo(client("127.0.0.1"));
        assertThat(resolver.resolve(forwardedFor("6.6.6.6, 1.2.3.4:5678"), "127.0.0.1")).isEqualTo(client("127.0.0.1"));
        assertThat(resolver.resolve(forwardedFor("6.6.6.6, 10.1.1.1 10.1.1.2"), "127.0.0.1")).isEqualTo(client("127.0.0.1"));
    }

    @Test
    void emptyListElementsAreSkipped() {
        assertThat(resolver.resolve(forwardedFor("198.51.100.9 ,, 10.1.1.1,"), "127.0.0.1")).isEqualTo(client("198.51.100.9"));
        assertThat(resolver.resolve(forwardedFor(""), "127.0.0.1")).isEqualTo(client("127.0.0.1"));
    }

    @Test
    void withNoTrustedProxiesForwardedForIsNeverRead() {
        IdentityResolver untrusting = resolver();

        assertThat(untrusting.resolve(forwardedFor("1.2.3.4"), "127.0.0.1")).isEqualTo(client("127.0.0.1"));
    }

    @Test
    void aPeerThatIsNotAnIpLiteralYieldsNoIdentity() {
        assertThat(resolver.resolve(new DefaultHttpHeaders(), null)).isSameAs(IdentityResult.Anonymous.INSTANCE);
        assertThat(resolver.resolve(forwardedFor("1.2.3.4"), "localhost")).isSameAs(IdentityResult.Anonymous.INSTANCE);
    }

    private static Identified client(String address) {
        return new Identified(address, "client-ip");
    }

    private static HttpHeaders forwardedFor(String value) {
        return new DefaultHttpHeaders().add("X-Forwarded-For", value);
    }

    private static IdentityResolver resolver(String... trustedProxies) {
        return new IdentityResolver(new IdentityConfig(List.of(new ClientIpIdentity(List.of(trustedProxies)))));
    }
}
