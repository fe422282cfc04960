package io.edgegateway.testkit;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * An issuer's signing key for tests: a fresh RSA-2048 (RS256) or P-256 (ES256) key pair with a
 * kid, its public half as a JWK, and compact JWS tokens signed with the JDK's {@link Signature}.
 */
public final class SigningKey {

    private final String kid;
    private final String alg;
    private final KeyPair pair;

    private SigningKey(String kid, String alg, KeyPair pair) {
        this.kid = kid;
        this.alg = alg;
        this.pair = pair;
    }

    public static SigningKey rsa(String kid) {
        return new SigningKey(kid, "RS256", generate("RSA", null));
    }

    public static SigningKey ec(String kid) {
        return new SigningKey(kid, "ES256", generate("EC", new ECGenParameterSpec("secp256r1")));
    }

    public String kid() {
        return kid;
    }

    public String alg() {
        return alg;
    }

    public KeyPair pair() {
        return pair;
    }

    /** The public key as a JWK object with kid, use = sig and alg. */
    public String jwk() {
        if (pair.getPublic() instanceof RSAPublicKey rsa) {
            return "{\"kty\":\"RSA\",\"kid\":\"" + kid + "\",\"use\":\"sig\",\"alg\":\"RS256\",\"n\":\"" + unsigned(rsa.getModulus(), 0)
                    + "\",\"e\":\"" + unsigned(rsa.getPublicExponent(), 0) + "\"}";
        }
        ECPublicKey ec = (ECPublicKey) pair.getPublic();
        return "{\"kty\":\"EC\",\"kid\":\"" + kid + "\",\"use\":\"sig\",\"alg\":\"ES256\",\"crv\":\"P-256\",\"x\":\""
                + unsigned(ec.getW().getAffineX(), 32) + "\",\"y\":\"" + unsigned(ec.getW().getAffineY(), 32) + "\"}";
    }

    /** A JWKS document of these keys. */
    public static String jwks(SigningKey... keys) {
        return Stream.of(keys).map(SigningKey::jwk).collect(Collectors.joining(",", "{\"keys\":[", "]}"));
    }

    /** A token with header {@code {"alg":<alg>,"kid":<kid>,"typ":"JWT"}}. */
    public String sign(String payloadJson) {
        return sign("{\"alg\":\"" + alg + "\",\"kid\":\"" + kid + "\",\"typ\":\"JWT\"}", payloadJson);
    }

    /** Signs with this key's algorithm whatever {@code headerJson} says. */
    public String sign(String headerJson, String payloadJson) {
        String signingInput = base64Url(headerJson.getBytes(StandardCharsets.UTF_8)) + "."
                + base64Url(payloadJson.getBytes(StandardCharsets.UTF_8));
        try {
            Signature signature = Signature.getInstance(alg.equals("RS256") ? "SHA256withRSA" : "SHA256withECDSAinP1363Format");
            signature.initSign(pair.getPrivate());
            signature.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            return signingInput + "." + base64Url(signature.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String base64Url(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** Big-endian without a sign byte, left-padded with zeros to {@code length} when it is not 0. */
    private static String unsigned(BigInteger value, int length) {
        byte[] bytes = value.toByteArray();
        if (bytes.length > 1 && bytes[0] == 0) {
            bytes = Arrays.copyOfRange(bytes, 1, bytes.length);
        }
        if (length > bytes.length) {
            byte[] padded = new byte[length];
            System.arraycopy(bytes, 0, padded, length - bytes.length, bytes.length);
            bytes = padded;
        }
        return base64Url(bytes);
    }

    private static KeyPair generate(String algorithm, ECGenParameterSpec curve) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm);
            if (curve == null) {
                generator.initialize(2048);
            } else {
                generator.initialize(curve);
            }
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
