package io.edgegateway.filters.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import io.edgegateway.config.ClientIpIdentity;
import io.edgegateway.config.HeaderIdentity;
import io.edgegateway.config.IdentityConfig;
import io.edgegateway.config.JwtIdentity;
import io.edgegateway.filters.identity.IdentityResult.Identified;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class IdentityResolverTest {

    private static final String SECRET = "s3cret";
    private static final String PEER = "127.0.0.1";

    private final IdentityResolver contractDefault = new IdentityResolver(new IdentityConfig(List.of(
            new HeaderIdentity("X-API-Key"),
            new JwtIdentity("Authorization", "sub", Optional.of(SECRET), Optional.empty()),
            new ClientIpIdentity(List.of("127.0.0.0/8")))));

    @Test
    void theHeaderValueIsTheIdentityTrimmed() {
        HttpHeaders unvalidated = DefaultHttpHeadersFactory.headersFactory().withValidation(false).newHeaders();

        assertThat(contractDefault.resolve(unvalidated.add("X-API-Key", "  key-123\t"), PEER)).isEqualTo(new Identified("key-123", "header"));
        assertThat(contractDefault.resolve(headers("x-api-key", "key-123"), PEER)).isEqualTo(new Identified("key-123", "header"));
    }

    @Test
    void anEmptyHeaderCountsAsAbsent() {
        assertThat(contractDefault.resolve(headers("X-API-Key", ""), "192.0.2.8")).isEqualTo(new Identified("192.0.2.8", "client-ip"));
    }

    @Test
    void theHeaderWinsBeforeTheToken() {
        HttpHeaders headers = headers("X-API-Key", "key-123").add("Authorization", "Bearer " + TokenSigner.hs256(SECRET, "{\"sub\":\"alice\"}"));

        assertThat(contractDefault.resolve(headers, PEER)).isEqualTo(new Identified("key-123", "header"));
    }

    @Test
    void theHeaderWinsEvenBeforeABadToken() {
        HttpHeaders headers = headers("X-API-Key", "key-123").add("Authorization", "Bearer not.a.token");

        assertThat(contractDefault.resolve(headers, PEER)).isEqualTo(new Identified("key-123", "header"));
    }

    @Test
    void theTokenWinsBeforeTheClientAddress() {
        HttpHeaders headers = headers("Authorization", "Bearer " + TokenSigner.hs256(SECRET, "{\"sub\":\"alice\"}"));

        assertThat(contractDefault.resolve(headers, PEER)).isEqualTo(new Identified("alice", "jwt"));
    }

    @Test
    void aRejectedTokenIsFinal() {
        HttpHeaders headers = headers("Authorization", "Bearer " + TokenSigner.hs256("wrong", "{\"sub\":\"alice\"}"));

        assertThat(contractDefault.resolve(headers, PEER)).isEqualTo(InvalidToken.BAD_SIGNATURE);
    }

    @Test
    void theClientAddressComesLast() {
        assertThat(contractDefault.resolve(headers("X-Forwarded-For", "198.51.100.1"), PEER)).isEqualTo(new Identified("198.51.100.1", "client-ip"));
    }

    @Test
    void theConfiguredOrderDecides() {
        IdentityResolver addressFirst = new IdentityResolver(new IdentityConfig(List.of(
                new ClientIpIdentity(List.of()), new HeaderIdentity("X-API-Key"))));

        assertThat(addressFirst.resolve(headers("X-API-Key", "key-123"), PEER)).isEqualTo(new Identified(PEER, "client-ip"));
        assertThat(addressFirst.resolve(headers("X-API-Key", "key-123"), null)).isEqualTo(new Identified("key-123", "header"));
    }

    @Test
    void withNothingToGoOnTheRequestIsAnonymous() {
        IdentityResolver headerOnly = new IdentityResolver(new IdentityConfig(List.of(new HeaderIdentity("X-API-Key"))));

        assertThat(headerOnly.resolve(new DefaultHttpHeaders(), PEER)).isSameAs(IdentityResult.Anonymous.INSTANCE);
    }

    @Test
    void anUnusableTrustedProxyFailsConstruction() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new IdentityResolver(new IdentityConfig(List.of(new ClientIpIdentity(List.of("proxy.internal"))))));
    }

    private static HttpHeaders headers(String name, String value) {
        return new DefaultHttpHeaders().add(name, value);
    }
}
