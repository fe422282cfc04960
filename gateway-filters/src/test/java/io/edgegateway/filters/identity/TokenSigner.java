package io.edgegateway.filters.identity;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** Builds compact JWS tokens for tests, signed the way an issuer would. */
final class TokenSigner {

    private TokenSigner() {
    }

    static String base64Url(String text) {
        return base64Url(text.getBytes(StandardCharsets.UTF_8));
    }

    static String base64Url(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    static String hs256(String secret, String payloadJson) {
        return hmac("{\"alg\":\"HS256\",\"typ\":\"JWT\"}", payloadJson, secret.getBytes(StandardCharsets.UTF_8));
    }

    /** Signs with HMAC-SHA256 whatever {@code headerJson} claims the algorithm is. */
    static String hmac(String headerJson, String payloadJson, byte[] key) {
        String signingInput = base64Url(headerJson) + "." + base64Url(payloadJson);
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return signingInput + "." + base64Url(mac.doFinal(signingInput.getBytes(StandardCharsets.US_ASCII)));
        } catch (GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }

    static String rs256(PrivateKey key, String payloadJson) {
        String signingInput = base64Url("{\"alg\":\"RS256\",\"typ\":\"JWT\"}") + "." + base64Url(payloadJson);
        try {
            Signature signature = Signature.getInstance("SHA256withRSA");
            signature.initSign(key);
            signature.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            return signingInput + "." + base64Url(signature.sign());
        } catch (GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }

    static String unsigned(String headerJson, String payloadJson) {
        return base64Url(headerJson) + "." + base64Url(payloadJson) + ".";
    }

    static KeyPair rsaKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }

    static String pem(PublicKey key) {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(key.getEncoded());
        return "-----BEGIN PUBLIC KEY-----\n" + body + "\n-----END PUBLIC KEY-----\n";
    }
}
