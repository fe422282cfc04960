package io.edgegateway.filters.identity;

import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.security.SignatureException;

/**
 * Verifies signatures under one public key with one JCA algorithm ({@code SHA256withRSA},
 * {@code SHA256withECDSAinP1363Format}). {@link Signature} is stateful, so each thread (in practice
 * each event loop) keeps its own, keyed once: no lock and no provider lookup per request.
 */
final class SignatureVerifier {

    private final ThreadLocal<Signature> perThread;

    /** @throws GeneralSecurityException when the key cannot be used with {@code jcaAlgorithm}; tried once now */
    SignatureVerifier(PublicKey key, String jcaAlgorithm) throws GeneralSecurityException {
        newSignature(key, jcaAlgorithm);
        this.perThread = ThreadLocal.withInitial(() -> {
            try {
                return newSignature(key, jcaAlgorithm);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("worked once, now: " + e.getMessage(), e);
            }
        });
    }

    /** Whether {@code signature} signs the first {@code length} bytes of {@code data}. */
    boolean verify(byte[] data, int length, byte[] signature) {
        Signature verifier = perThread.get();
        try {
            verifier.update(data, 0, length);
            return verifier.verify(signature);
        } catch (SignatureException e) {
            // A failed verify may leave state behind: the thread's next request gets a fresh verifier.
            perThread.remove();
            return false;
        }
    }

    private static Signature newSignature(PublicKey key, String jcaAlgorithm) throws GeneralSecurityException {
        Signature signature = Signature.getInstance(jcaAlgorithm);
        signature.initVerify(key);
        return signature;
    }
}
