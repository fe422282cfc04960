package io.edgegateway.filters.identity;

import static io.edgegateway.filters.identity.TokenSigner.hs256;
import static org.assertj.core.api.Assertions.assertThat;

import io.edgegateway.config.ClientIpIdentity;
import io.edgegateway.config.IdentityConfig;
import io.edgegateway.config.JwtIdentity;
import io.edgegateway.filters.identity.IdentityResult.Identified;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@code issuer}, {@code audience} and {@code clock-skew}: checked after the signature, before the identity claim. */
class JwtClaimsTest {

    private static final String SECRET = "s3cret";
    private static final long NOW = 1_700_000_000L;
    private static final Identified ALICE = new Identified("alice", "jwt");

    private static IdentityResult resolve(JwtIdentity source, String claims) {
        IdentityResolver resolver = new IdentityResolver(new IdentityConfig(List.of(source, new ClientIpIdentity(List.of()))),
                Clock.fixed(Instant.ofEpochSecond(NOW), ZoneOffset.UTC));
        return resolver.resolve(new DefaultHttpHeaders().add("Authorization", "Bearer " + hs256(SECRET, claims)), "198.51.100.7");
    }

    private static JwtIdentity source(Optional<String> issuer, List<String> audiences, Duration skew) {
        return new JwtIdentity("Authorization", "sub", Optional.of(SECRET), Optional.empty(), Optional.empty(), issuer, audiences, skew);
    }

    @Test
    void theIssuerMustBeExactlyTheConfiguredOne() {
        JwtIdentity source = source(Optional.of("https://idp.example.com/"), List.of(), JwtIdentity.DEFAULT_CLOCK_SKEW);

        assertThat(resolve(source, "{\"sub\":\"alice\",\"iss\":\"https://idp.example.com/\"}")).isEqualTo(ALICE);
        assertThat(resolve(source, "{\"sub\":\"alice\",\"iss\":\"https://idp.example.com\"}")).isEqualTo(InvalidToken.WRONG_ISSUER);
        assertThat(resolve(source, "{\"sub\":\"alice\",\"iss\":[\"https://idp.example.com/\"]}")).isEqualTo(InvalidToken.WRONG_ISSUER);
        assertThat(resolve(source, "{\"sub\":\"alice\"}")).as("absent").isEqualTo(InvalidToken.WRONG_ISSUER);
    }

    @Test
    void theAudienceIsAStringOrAnArrayHoldingOneOfTheConfigured() {
        JwtIdentity source = source(Optional.empty(), List.of("api", "admin"), JwtIdentity.DEFAULT_CLOCK_SKEW);

        assertThat(resolve(source, "{\"sub\":\"alice\",\"aud\":\"api\"}")).isEqualTo(ALICE);
        assertThat(resolve(source, "{\"sub\":\"alice\",\"aud\":[\"billing\",\"admin\"]}")).isEqualTo(ALICE);
        assertThat(resolve(source, "{\"sub\":\"alice\",\"aud\":\"billing\"}")).isEqualTo(InvalidToken.WRONG_AUDIENCE);
        assertThat(resolve(source, "{\"sub\":\"alice\",\"aud\":[\"billing\",{\"api\":1},[\"api\"]]}"))
                .as("nested values are no audience").isEqualTo(InvalidToken.WRONG_AUDIENCE);
        assertThat(resolve(source, "{\"sub\":\"alice\",\"aud\":[]}")).isEqualTo(InvalidToken.WRONG_AUDIENCE);
        assertThat(resolve(source, "{\"sub\":\"alice\"}")).as("absent").isEqualTo(InvalidToken.WRONG_AUDIENCE);
    }

    @Test
    void withoutIssuerOrAudienceConfiguredNeitherIsChecked() {
        JwtIdentity source = source(Optional.empty(), List.of(), JwtIdentity.DEFAULT_CLOCK_SKEW);

        assertThat(resolve(source, "{\"sub\":\"alice\",\"iss\":\"anyone\",\"aud\":[\"x\"]}")).isEqualTo(ALICE);
    }

    @Test
    void theClockSkewIsTheLeewayOnExpAndNbf() {
        JwtIdentity twoMinutes = source(Optional.empty(), List.of(), Duration.ofSeconds(120));
        JwtIdentity none = source(Optional.empty(), List.of(), Duration.ZERO);

        assertThat(resolve(twoMinutes, "{\"sub\":\"alice\",\"exp\":" + (NOW - 119) + "}")).isEqualTo(ALICE);
        assertThat(resolve(twoMinutes, "{\"sub\":\"alice\",\"exp\":" + (NOW - 120) + "}")).isEqualTo(InvalidToken.EXPIRED);
        assertThat(resolve(twoMinutes, "{\"sub\":\"alice\",\"nbf\":" + (NOW + 120) + "}")).isEqualTo(ALICE);
        assertThat(resolve(twoMinutes, "{\"sub\":\"alice\",\"nbf\":" + (NOW + 121) + "}")).isEqualTo(InvalidToken.NOT_YET_VALID);
        assertThat(resolve(none, "{\"sub\":\"alice\",\"exp\":" + (NOW + 1) + "}")).isEqualTo(ALICE);
        assertThat(resolve(none, "{\"sub\":\"alice\",\"exp\":" + NOW + "}")).isEqualTo(InvalidToken.EXPIRED);
        assertThat(resolve(none, "{\"sub\":\"alice\",\"nbf\":" + NOW + "}")).isEqualTo(ALICE);
        assertThat(resolve(none, "{\"sub\":\"alice\",\"nbf\":" + (NOW + 1) + "}")).isEqualTo(InvalidToken.NOT_YET_VALID);
    }

    @Test
    void anExpiredTokenIsExpiredWhateverItsIssuer() {
        JwtIdentity source = source(Optional.of("idp"), List.of("api"), Duration.ZERO);

        assertThat(resolve(source, "{\"sub\":\"alice\",\"iss\":\"other\",\"exp\":" + (NOW - 1) + "}")).isEqualTo(InvalidToken.EXPIRED);
    }
}
