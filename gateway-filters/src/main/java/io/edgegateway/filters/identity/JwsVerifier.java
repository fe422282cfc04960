package io.edgegateway.filters.identity;

import io.edgegateway.config.PemPublicKey;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.Signature;
import java.security.SignatureException;
import java.security.interfaces.RSAPublicKey;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Checks a JWS signature with the keys of one jwt source: HS256 when a secret is configured,
 * RS256 when a public key is; any other {@code alg}, {@code none} included, is refused.
 *
 * <p>{@link Mac} and {@link Signature} are stateful, so each thread (in practice each event loop)
 * keeps its own, keyed once: no lock and no provider lookup per request.
 */
final class JwsVerifier {

    static final String HS256 = "HS256";
    static final String RS256 = "RS256";

    private static final String HMAC_SHA256 = "HmacSHA256";
    private static final String SHA256_WITH_RSA = "SHA256withRSA";

    private final ThreadLocal<Mac> hmac;
    private final ThreadLocal<Signature> rsa;

    /** @throws IllegalArgumentException when a key is unusable */
    JwsVerifier(Optional<String> hs256Secret, Optional<String> rs256PublicKeyPem) {
        this.hmac = hs256Secret.map(JwsVerifier::hmacPerThread).orElse(null);
        this.rsa = rs256PublicKeyPem.map(JwsVerifier::rsaPerThread).orElse(null);
    }

    /** Whether any key is configured; without one the source verifies nothing. */
    boolean hasKey() {
        return hmac != null || rsa != null;
    }

    /** Whether {@code alg} is one this source has a key for. */
    boolean accepts(String alg) {
        return HS256.equals(alg) ? hmac != null : RS256.equals(alg) && rsa != null;
    }

    /**
     * Whether {@code signature} signs the first {@code signingInputLength} ASCII bytes of {@code token}.
     * Only call with an {@code alg} this verifier {@link #accepts}.
     */
    boolean verify(String alg, byte[] token, int signingInputLength, byte[] signature) {
        if (HS256.equals(alg)) {
            Mac mac = hmac.get();
            mac.update(token, 0, signingInputLength);
            return MessageDigest.isEqual(mac.doFinal(), signature);
        }
        Signature verifier = rsa.get();
        try {
            verifier.update(token, 0, signingInputLength);
            return verifier.verify(signature);
        } catch (SignatureException e) {
            // A failed verify may leave state behind: the thread's next request gets a fresh verifier.
            rsa.remove();
            return false;
        }
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

    private static ThreadLocal<Signature> rsaPerThread(String pem) {
        RSAPublicKey key;
        try {
            key = PemPublicKey.parse(pem);
        } catch (GeneralSecurityException | ClassCastException e) {
            throw new IllegalArgumentException("rs256-public-key: " + e.getMessage() + " (expected: an RSA public key PEM)", e);
        }
        newSignature(key);
        return ThreadLocal.withInitial(() -> newSignature(key));
    }

    private static Signature newSignature(RSAPublicKey key) {
        try {
            Signature signature = Signature.getInstance(SHA256_WITH_RSA);
            signature.initVerify(key);
            return signature;
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("rs256-public-key: unusable for SHA256withRSA: " + e.getMessage(), e);
        }
    }
}
