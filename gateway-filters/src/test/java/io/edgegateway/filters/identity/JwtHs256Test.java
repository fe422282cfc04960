package io.edgegateway.filters.identity;

import static io.edgegateway.filters.identity.TokenSigner.base64Url;
import static io.edgegateway.filters.identity.TokenSigner.hs256;
import static org.assertj.core.api.Assertions.assertThat;

import io.edgegateway.config.ClientIpIdentity;
import io.edgegateway.config.IdentityConfig;
import io.edgegateway.config.JwtIdentity;
import io.edgegateway.filters.identity.IdentityResult.Identified;
import io.edgegateway.filters.identity.IdentityResult.Rejected;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** HS256 tokens; a client-ip source follows the jwt one, so a wrong fall-through would show as a client-ip identity. */
class JwtHs256Test {

    private static final String SECRET = "correct horse battery staple";
    private static final long NOW = 1_700_000_000L;
    private static final String PEER = "198.51.100.7";

    private final IdentityResolver resolver = resolver(new JwtIdentity("Authorization", "sub", Optional.of(SECRET), Optional.empty()));

    @Test
    void aValidTokenIdentifiesItsSubject() {
        String token = hs256(SECRET, "{\"sub\":\"alice\",\"iat\":" + NOW + ",\"exp\":" + (NOW + 600) + "}");

        assertThat(resolve("Bearer " + token)).isEqualTo(new Identified("alice", "jwt"));
    }

    @Test
    void theSchemeIsCaseInsensitive() {
        String token = hs256(SECRET, "{\"sub\":\"alice\"}");

        assertThat(resolve("bearer " + token)).isEqualTo(new Identified("alice", "jwt"));
        assertThat(resolve("BEARER  " + token + " ")).isEqualTo(new Identified("alice", "jwt"));
    }

    @Test
    void anExpiredTokenIsRejected() {
        String token = hs256(SECRET, "{\"sub\":\"alice\",\"exp\":" + (NOW - 31) + "}");

        assertThat(resolve("Bearer " + token)).isEqualTo(InvalidToken.EXPIRED);
    }

    @Test
    void expiryAllowsThirtySecondsOfClockSkew() {
        assertThat(resolve("Bearer " + hs256(SECRET, "{\"sub\":\"alice\",\"exp\":" + (NOW - 29) + "}"))).isInstanceOf(Identified.class);
        assertThat(resolve("Bearer " + hs256(SECRET, "{\"sub\":\"alice\",\"exp\":" + (NOW - 30) + "}"))).isEqualTo(InvalidToken.EXPIRED);
        assertThat(resolve("Bearer " + hs256(SECRET, "{\"sub\":\"alice\",\"exp\":" + (NOW - 30) + ".5}"))).isInstanceOf(Identified.class);
    }

    @Test
    void aTokenNotYetValidIsRejected() {
        String token = hs256(SECRET, "{\"sub\":\"alice\",\"nbf\":" + (NOW + 31) + "}");

        assertThat(resolve("Bearer " + token)).isEqualTo(InvalidToken.NOT_YET_VALID);
        assertThat(resolve("Bearer " + hs256(SECRET, "{\"sub\":\"alice\",\"nbf\":" + (NOW + 30) + "}"))).isInstanceOf(Identified.class);
    }

    @Test
    void nonNumericTimesAreMalformed() {
        assertThat(resolve("Bearer " + hs256(SECRET, "{\"sub\":\"alice\",\"exp\":\"" + (NOW + 60) + "\"}"))).isEqualTo(InvalidToken.MALFORMED);
        assertThat(resolve("Bearer " + hs256(SECRET, "{\"sub\":\"alice\",\"nbf\":true}"))).isEqualTo(InvalidToken.MALFORMED);
    }

    @Test
    void aBadSignatureIsRejected() {
        String forged = hs256("another secret", "{\"sub\":\"alice\"}");

        assertThat(resolve("Bearer " + forged)).isEqualTo(InvalidToken.BAD_SIGNATURE);
    }

    @Test
    void aChangedPayloadBreaksTheSignature() {
        String token = hs256(SECRET, "{\"sub\":\"alice\"}");
        String[] parts = token.split("\\.");
        String tampered = parts[0] + "." + base64Url("{\"sub\":\"admin\"}") + "." + parts[2];

        assertThat(resolve("Bearer " + tampered)).isEqualTo(InvalidToken.BAD_SIGNATURE);
    }

    @Test
    void algNoneIsRejected() {
        String unsigned = TokenSigner.unsigned("{\"alg\":\"none\",\"typ\":\"JWT\"}", "{\"sub\":\"admin\"}");

        assertThat(resolve("Bearer " + unsigned)).isEqualTo(InvalidToken.ALGORITHM_NOT_ACCEPTED);
    }

    @Test
    void rs256IsRejectedWhenOnlyHs256IsConfigured() {
        String token = TokenSigner.rs256(TokenSigner.rsaKeyPair().getPrivate(), "{\"sub\":\"admin\"}");

        assertThat(resolve("Bearer " + token)).isEqualTo(InvalidToken.ALGORITHM_NOT_ACCEPTED);
    }

    @Test
    void otherAlgorithmsAndAMissingAlgAreRejected() {
        byte[] key = SECRET.getBytes(StandardCharsets.UTF_8);
        assertThat(resolve("Bearer " + TokenSigner.hmac("{\"alg\":\"HS512\"}", "{\"sub\":\"a\"}", key))).isEqualTo(InvalidToken.ALGORITHM_NOT_ACCEPTED);
        assertThat(resolve("Bearer " + TokenSigner.hmac("{\"alg\":\"hs256\"}", "{\"sub\":\"a\"}", key))).isEqualTo(InvalidToken.ALGORITHM_NOT_ACCEPTED);
        assertThat(resolve("Bearer " + TokenSigner.hmac("{\"typ\":\"JWT\"}", "{\"sub\":\"a\"}", key))).isEqualTo(InvalidToken.MALFORMED);
    }

    @Test
    void criticalExtensionsAreRejected() {
        String token = TokenSigner.hmac("{\"alg\":\"HS256\",\"crit\":[\"b64\"],\"b64\":false}", "{\"sub\":\"a\"}", SECRET.getBytes(StandardCharsets.UTF_8));

        assertThat(resolve("Bearer " + token)).isEqualTo(InvalidToken.UNSUPPORTED_CRITICAL);
    }

    @Test
    void aMissingClaimIsRejected() {
        assertThat(resolve("Bearer " + hs256(SECRET, "{\"name\":\"alice\"}"))).isEqualTo(InvalidToken.NO_IDENTITY);
        assertThat(resolve("Bearer " + hs256(SECRET, "{\"sub\":null}"))).isEqualTo(InvalidToken.NO_IDENTITY);
        assertThat(resolve("Bearer " + hs256(SECRET, "{\"sub\":\"\"}"))).isEqualTo(InvalidToken.NO_IDENTITY);
        assertThat(resolve("Bearer " + hs256(SECRET, "{\"sub\":true}"))).isEqualTo(InvalidToken.NO_IDENTITY);
        assertThat(resolve("Bearer " + hs256(SECRET, "{\"sub\":{\"id\":1}}"))).isEqualTo(InvalidToken.NO_IDENTITY);
    }

    @Test
    void aNumericSubjectIsItsDecimalText() {
        assertThat(resolve("Bearer " + hs256(SECRET, "{\"sub\":12345}"))).isEqualTo(new Identified("12345", "jwt"));
    }

    @Test
    void theConfiguredClaimIsTheIdentity() {
        IdentityResolver byTenant = resolver(new JwtIdentity("X-Token", "tenant", Optional.of(SECRET), Optional.empty()));
        HttpHeaders headers = new DefaultHttpHeaders().add("X-Token", "Bearer " + hs256(SECRET, "{\"sub\":\"alice\",\"tenant\":\"acme\"}"));

        assertThat(byTenant.resolve(headers, PEER)).isEqualTo(new Identified("acme", "jwt"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "Bearer", "Bearer ", "Bearer abc", "Bearer a.b", "Bearer a.b.c.d", "Bearer ..", "Bearer e30.e30.", "Bearer !!!.e30.abc",
        "Bearer eyJhbGciOiJIUzI1NiJ9.@@@@.abc", "Bearer eyJhbGciOiJIUzI1NiJ9=.e30.abc", "Bearer bm90IGpzb24.e30.abc",
    })
    void aMalformedTokenIsRejected(String authorization) {
        assertThat(resolve(authorization)).as(authorization).isInstanceOf(Rejected.class);
    }

    @Test
    void garbageBase64IsMalformed() {
        String token = hs256(SECRET, "{\"sub\":\"alice\"}");

        assertThat(resolve("Bearer " + token.replace('.', '+') + ".x.y")).isEqualTo(InvalidToken.MALFORMED);
        assertThat(resolve("Bearer " + token + "=")).isEqualTo(InvalidToken.MALFORMED);
        assertThat(resolve("Bearer " + "%%%." + token.substring(token.indexOf('.') + 1))).isEqualTo(InvalidToken.MALFORMED);
    }

    @Test
    void aValidlySignedGarbagePayloadIsMalformed() {
        String token = TokenSigner.hmac("{\"alg\":\"HS256\"}", "not json", SECRET.getBytes(StandardCharsets.UTF_8));

        assertThat(resolve("Bearer " + token)).isEqualTo(InvalidToken.MALFORMED);
    }

    @Test
    void otherSchemesAndNoHeaderFallThrough() {
        assertThat(resolve("Basic YWxpY2U6c2VjcmV0")).isEqualTo(new Identified(PEER, "client-ip"));
        assertThat(resolve("Bearerish " + hs256(SECRET, "{\"sub\":\"alice\"}"))).isEqualTo(new Identified(PEER, "client-ip"));
        assertThat(resolver.resolve(new DefaultHttpHeaders(), PEER)).isEqualTo(new Identified(PEER, "client-ip"));
    }

    @Test
    void aSourceWithoutKeysVerifiesNothingAndFallsThrough() {
        IdentityResolver keyless = resolver(new JwtIdentity("Authorization", "sub", Optional.empty(), Optional.empty()));
        HttpHeaders headers = new DefaultHttpHeaders().add("Authorization", "Bearer " + hs256(SECRET, "{\"sub\":\"alice\"}"));

        assertThat(keyless.resolve(headers, PEER)).isEqualTo(new Identified(PEER, "client-ip"));
    }

    @Test
    void rejectionsNeverEchoTheToken() {
        assertThat(InvalidToken.MALFORMED.error()).isEqualTo("invalid_token");
        assertThat(List.of(InvalidToken.MALFORMED, InvalidToken.ALGORITHM_NOT_ACCEPTED, InvalidToken.UNSUPPORTED_CRITICAL,
                        InvalidToken.BAD_SIGNATURE, InvalidToken.UNKNOWN_KEY, InvalidToken.EXPIRED, InvalidToken.NOT_YET_VALID,
                        InvalidToken.WRONG_ISSUER, InvalidToken.WRONG_AUDIENCE, InvalidToken.NO_IDENTITY))
                .allSatisfy(rejected -> assertThat(rejected.description()).doesNotContain("\"", "\\"));
    }

    private IdentityResult resolve(String authorization) {
        return resolver.resolve(new DefaultHttpHeaders().add("Authorization", authorization), PEER);
    }

    private static IdentityResolver resolver(JwtIdentity jwt) {
        Clock clock = Clock.fixed(Instant.ofEpochSecond(NOW), ZoneOffset.UTC);
        return new IdentityResolver(new IdentityConfig(List.of(jwt, new ClientIpIdentity(List.of()))), clock);
    }
}
