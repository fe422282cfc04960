package io.edgegateway.filters.identity;

import static io.edgegateway.filters.identity.TokenSigner.pem;
import static io.edgegateway.filters.identity.TokenSigner.rs256;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import io.edgegateway.config.IdentityConfig;
import io.edgegateway.config.JwtIdentity;
import io.edgegateway.filters.identity.IdentityResult.Identified;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

class JwtRs256Test {

    private static final long NOW = 1_700_000_000L;
    private static final KeyPair ISSUER = TokenSigner.rsaKeyPair();
    private static final KeyPair ATTACKER = TokenSigner.rsaKeyPair();
    private static final ExecutorService THREADS = Executors.newFixedThreadPool(4);

    private final IdentityResolver resolver = resolver(Optional.empty(), Optional.of(pem(ISSUER.getPublic())));

    @AfterAll
    static void stopThreads() {
        THREADS.shutdownNow();
    }

    @Test
    void aValidTokenIdentifiesItsSubject() {
        String token = rs256(ISSUER.getPrivate(), "{\"sub\":\"carol\",\"exp\":" + (NOW + 60) + "}");

        assertThat(resolve(resolver, token)).isEqualTo(new Identified("carol", "jwt"));
    }

    @Test
    void aTokenSignedWithAnotherKeyIsRejected() {
        String forged = rs256(ATTACKER.getPrivate(), "{\"sub\":\"carol\"}");

        assertThat(resolve(resolver, forged)).isEqualTo(InvalidToken.BAD_SIGNATURE);
    }

    @Test
    void aTruncatedSignatureIsRejectedAndTheVerifierStaysUsable() {
        String token = rs256(ISSUER.getPrivate(), "{\"sub\":\"carol\"}");
        int signatureStart = token.lastIndexOf('.') + 1;
        byte[] signature = Base64.getUrlDecoder().decode(token.substring(signatureStart));
        String truncated = token.substring(0, signatureStart) + TokenSigner.base64Url(Arrays.copyOf(signature, 200));

        assertThat(resolve(resolver, truncated)).isEqualTo(InvalidToken.BAD_SIGNATURE);
        assertThat(resolve(resolver, token)).isEqualTo(new Identified("carol", "jwt"));
    }

    @Test
    void hs256SignedWithThePublicKeyIsRejected() {
        String confused = TokenSigner.hmac("{\"alg\":\"HS256\"}", "{\"sub\":\"carol\"}", pem(ISSUER.getPublic()).getBytes());

        assertThat(resolve(resolver, confused)).isEqualTo(InvalidToken.ALGORITHM_NOT_ACCEPTED);
    }

    @Test
    void withBothKeysEitherAlgorithmIsAccepted() {
        IdentityResolver both = resolver(Optional.of("s3cret"), Optional.of(pem(ISSUER.getPublic())));

        assertThat(resolve(both, rs256(ISSUER.getPrivate(), "{\"sub\":\"carol\"}"))).isEqualTo(new Identified("carol", "jwt"));
        assertThat(resolve(both, TokenSigner.hs256("s3cret", "{\"sub\":\"dave\"}"))).isEqualTo(new Identified("dave", "jwt"));
        assertThat(resolve(both, rs256(ATTACKER.getPrivate(), "{\"sub\":\"carol\"}"))).isEqualTo(InvalidToken.BAD_SIGNATURE);
        assertThat(resolve(both, TokenSigner.unsigned("{\"alg\":\"none\"}", "{\"sub\":\"x\"}"))).isEqualTo(InvalidToken.ALGORITHM_NOT_ACCEPTED);
    }

    @Test
    void verifiesConcurrently() throws Exception {
        List<Future<IdentityResult>> results = IntStream.range(0, 200)
                .mapToObj(i -> THREADS.submit(() -> resolve(resolver, i % 2 == 0
                        ? rs256(ISSUER.getPrivate(), "{\"sub\":\"u" + i + "\"}")
                        : rs256(ATTACKER.getPrivate(), "{\"sub\":\"u" + i + "\"}"))))
                .toList();

        for (int i = 0; i < results.size(); i++) {
            assertThat(results.get(i).get()).isEqualTo(i % 2 == 0 ? new Identified("u" + i, "jwt") : InvalidToken.BAD_SIGNATURE);
        }
    }

    @Test
    void anUnusableKeyFailsConstruction() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> resolver(Optional.empty(), Optional.of("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----")))
                .withMessageStartingWith("rs256-public-key");
        assertThatIllegalArgumentException().isThrownBy(() -> resolver(Optional.empty(), Optional.of("not a pem")));
    }

    private static IdentityResult resolve(IdentityResolver resolver, String token) {
        return resolver.resolve(new DefaultHttpHeaders().add("Authorization", "Bearer " + token), "192.0.2.1");
    }

    private static IdentityResolver resolver(Optional<String> secret, Optional<String> pem) {
        JwtIdentity jwt = new JwtIdentity("Authorization", "sub", secret, pem);
        return new IdentityResolver(new IdentityConfig(List.of(jwt)), Clock.fixed(Instant.ofEpochSecond(NOW), ZoneOffset.UTC));
    }
}
