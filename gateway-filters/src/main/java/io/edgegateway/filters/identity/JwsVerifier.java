package io.edgegateway.filters.identity;

import io.edgegateway.config.PemPublicKey;
import io.edgegateway.filters.identity.IdentityResult.Rejected;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.interfaces.RSAPublicKey;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Checks a JWS signature with the keys of one jwt source: HS256 when a secret is configured; RS256
 * with a static public key, or RS256 and ES256 with the key of a JWKS that the token's {@code kid}
 * names, whose algorithm must be the token's. Any other {@code alg}, {@code none} included, is refused.
 *
 * <p>{@link Mac} is stateful, so each thread (in practice each event loop) keeps its own, keyed
 * once; public keys do the same through {@link SignatureVerifier}. No lock and no provider lookup per request.
 */
final class JwsVerifier {

    static final String HS256 = "HS256";
    static final String RS256 = JwksDocument.RS256;
    static final String ES256 = JwksDocument.ES256;

    private static final String HMAC_SHA256 = "HmacSHA256";
    private static final String SHA256_WITH_RSA = "SHA256withRSA";

    private final ThreadLocal<Mac> hmac;
    private final SignatureVerifier rsa;
    private final JwksCache jwks;

    /**
     * @param jwks where RS256 and ES256 keys come from, or null for none
     * @throws IllegalArgumentException when a key is unusable
     */
    JwsVerifier(Optional<String> hs256Secret, Optional<String> rs256PublicKeyPem, JwksCache jwks) {
        this.hmac = hs256Secret.map(JwsVerifier::hmacPerThread).orElse(null);
        this.rsa = rs256PublicKeyPem.map(JwsVerifier::rsa).orElse(null);
        this.jwks = jwks;
    }

    /** Whether any key is configured; without one the source verifies nothing. */
    boolean hasKey() {
        return hmac != null || rsa != null || jwks != null;
    }

    /** Whether {@code alg} is one this source may have a key for. */
    boolean accepts(String alg) {
        if (HS256.equals(alg)) {
            return hmac != null;
        }
        if (RS256.equals(alg)) {
            return rsa != null || jwks != null;
        }
        return ES256.equals(alg) && jwks != null;
    }

    /**
     * Null when {@code signature} signs the first {@code signingInputLength} ASCII bytes of
     * {@code token} under the key for {@code alg} and {@code kid}; otherwise why not. Only call with
     * an {@code alg} this verifier {@link #accepts}. An unknown kid asks the JWKS for a fetch, never waiting for it.
     */
    Rejected verify(String alg, String kid, byte[] token, int signingInputLength, byte[] signature) {
        if (HS256.equals(alg)) {
            Mac mac = hmac.get();
            mac.update(token, 0, signingInputLength);
            return MessageDigest.isEqual(mac.doFinal(), signature) ? null : InvalidToken.BAD_SIGNATURE;
        }
        SignatureVerifier verifier = rsa;
        if (jwks != null) {
            Jwk key = jwks.keys().find(kid, alg);
            if (key == null) {
                jwks.unknownKey();
                return InvalidToken.UNKNOWN_KEY;
            }
            if (!key.alg().equals(alg)) {
                return InvalidToken.ALGORITHM_NOT_ACCEPTED;
            }
            verifier = key.verifier();
        }
        return verifier.verify(token, signingInputLength, signature) ? null : InvalidToken.BAD_SIGNATURE;
    }

    private static ThreadLocal<Mac> hmacPerThread(String secret) {
        SecretKeySpec key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), HMAC_SHA256);
        newMac(key);
        return ThreadLocal.withInitial(() -> newMac(key));
    }

    private static Mac newMac(SecretKeySpec key) {
        try {
            Mac mac = Mac.getInstance(HMAC_SHA256);
            mac.init(key);
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("hs256-secret: unusable as an HMAC-SHA256 key: " + e.getMessage(), e);
        }
    }

    private static SignatureVerifier rsa(String pem) {
        RSAPublicKey key;
        try {
            key = PemPublicKey.parse(pem);
        } catch (GeneralSecurityException | ClassCastException e) {
            throw new IllegalArgumentException("rs256-public-key: " + e.getMessage() + " (expected: an RSA public key PEM)", e);
        }
        try {
            return new SignatureVerifier(key, SHA256_WITH_RSA);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("rs256-public-key: unusable for SHA256withRSA: " + e.getMessage(), e);
        }
    }
}
