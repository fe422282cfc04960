package io.edgegateway.filters.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import io.edgegateway.testkit.SigningKey;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPublicKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which keys of a JWKS document are taken, which are left out, and which documents are refused. */
class JwksDocumentTest {

    private static final SigningKey RSA = SigningKey.rsa("rsa-1");
    private static final SigningKey EC = SigningKey.ec("ec-1");

    private final List<String> skipped = new ArrayList<>();

    private JwkSet parse(String json) {
        return JwksDocument.parse(json, skipped::add);
    }

    @Test
    void rsaAndP256KeysAreTakenEachForItsOneAlgorithm() {
        JwkSet keys = parse(SigningKey.jwks(RSA, EC));

        assertThat(keys.size()).isEqualTo(2);
        assertThat(keys.find("rsa-1", "RS256").alg()).isEqualTo("RS256");
        assertThat(keys.find("ec-1", "ES256").alg()).isEqualTo("ES256");
        assertThat(keys.find("rsa-1", "ES256").alg()).as("found by kid; the verifier then refuses the mismatch").isEqualTo("RS256");
        assertThat(keys.find("other", "RS256")).isNull();
        assertThat(skipped).isEmpty();
    }

    @Test
    void theKeysVerifyWhatTheirPrivateHalvesSigned() {
        JwkSet keys = parse(SigningKey.jwks(RSA, EC));
        for (SigningKey key : List.of(RSA, EC)) {
            String token = key.sign("{\"sub\":\"x\"}");
            int dot = token.lastIndexOf('.');
            byte[] signature = Base64Url.decode(token, dot + 1, token.length());
            byte[] ascii = token.getBytes(StandardCharsets.US_ASCII);

            assertThat(keys.find(key.kid(), key.alg()).verifier().verify(ascii, dot, signature)).as(key.alg()).isTrue();
            ascii[0] ^= 1;
            assertThat(keys.find(key.kid(), key.alg()).verifier().verify(ascii, dot, signature)).as(key.alg()).isFalse();
        }
    }

    @Test
    void withoutAKidTheOneKeyOfTheAlgorithmIsFound() {
        String noKid = RSA.jwk().replace("\"kid\":\"rsa-1\",", "");
        JwkSet keys = parse("{\"keys\":[" + noKid + "," + EC.jwk() + "]}");

        assertThat(keys.find(null, "RS256")).isNotNull();
        assertThat(keys.find(null, "ES256").kid()).isEqualTo("ec-1");
        assertThat(parse("{\"keys\":[" + EC.jwk() + "," + SigningKey.ec("ec-2").jwk() + "]}").find(null, "ES256"))
                .as("two candidates: a guess, so none").isNull();
    }

    @Test
    void keysForOtherUsesTypesAndAlgorithmsAreLeftOutQuietly() {
        JwkSet keys = parse("{\"keys\":["
                + RSA.jwk().replace("\"use\":\"sig\"", "\"use\":\"enc\"").replace("rsa-1", "enc") + ","
                + RSA.jwk().replace("RS256", "PS256").replace("rsa-1", "pss") + ","
                + EC.jwk().replace("P-256", "P-384").replace("ec-1", "p384") + ","
                + "{\"kty\":\"oct\",\"kid\":\"secret\",\"k\":\"c2VjcmV0\"},"
                + "{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"kid\":\"ed\",\"x\":\"AAAA\"},"
                + EC.jwk() + "]}");

        assertThat(keys.kids()).containsExactly("ec-1");
        assertThat(skipped).isEmpty();
    }

    @Test
    void brokenKeysOfASupportedTypeAreLeftOutWithAReason() throws Exception {
        String offCurve = EC.jwk().replaceFirst("\"y\":\"[^\"]+\"", "\"y\":\"" + "A".repeat(42) + "E\"").replace("ec-1", "off");
        JwkSet keys = parse("{\"keys\":["
                + smallRsaJwk() + ","
                + offCurve + ","
                + EC.jwk().replaceFirst("\"x\":\"[^\"]+\"", "\"x\":\"AAAA\"").replace("ec-1", "short") + ","
                + "{\"kty\":\"RSA\",\"kid\":\"no-n\",\"e\":\"AQAB\"},"
                + "{\"kty\":\"RSA\",\"kid\":7,\"n\":\"AQAB\",\"e\":\"AQAB\"},"
                + "\"not an object\","
                + RSA.jwk() + "]}");

        assertThat(keys.kids()).containsExactly("rsa-1");
        assertThat(skipped).containsExactly(
                "keys[0]: RSA key of 1024 bits (expected: >= 2048)",
                "keys[1]: the point is not on P-256",
                "keys[2]: P-256 coordinates of 3 and 32 bytes (expected: 32)",
                "keys[3]: n is missing or not a string",
                "keys[4]: kid is not a string",
                "keys[5]: not an object");
    }

    @Test
    void documentsWithNothingUsableAreRefused() {
        assertThatIllegalArgumentException().isThrownBy(() -> parse("<html>")).withMessage("not a JSON object");
        assertThatIllegalArgumentException().isThrownBy(() -> parse("{\"keys\":{}}")).withMessage("no \"keys\" array");
        assertThatIllegalArgumentException().isThrownBy(() -> parse("{\"keys\":[]}"))
                .withMessage("no usable key (RSA for RS256, EC P-256 for ES256) among 0");
        assertThatIllegalArgumentException().isThrownBy(() -> parse(SigningKey.jwks(RSA, SigningKey.ec("rsa-1"))))
                .withMessage("two keys with kid \"rsa-1\"");
    }

    /** A 1024-bit modulus: what a careless provider might publish. */
    private static String smallRsaJwk() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(1024);
        BigInteger modulus = ((RSAPublicKey) generator.generateKeyPair().getPublic()).getModulus();
        byte[] bytes = modulus.toByteArray();
        String n = TokenSigner.base64Url(Arrays.copyOfRange(bytes, bytes[0] == 0 ? 1 : 0, bytes.length));
        return "{\"kty\":\"RSA\",\"kid\":\"small\",\"n\":\"" + n + "\",\"e\":\"AQAB\"}";
    }
}
