package io.edgegateway.config;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

/** Reads the RSA public key of a {@code -----BEGIN PUBLIC KEY-----} (X.509 SubjectPublicKeyInfo) PEM. */
public final class PemPublicKey {

    static final String BEGIN = "-----BEGIN PUBLIC KEY-----";
    private static final String END = "-----END PUBLIC KEY-----";

    private PemPublicKey() {
    }

    public static RSAPublicKey parse(String pem) throws GeneralSecurityException {
        String text = pem.strip();
        if (!text.startsWith(BEGIN) || !text.endsWith(END)) {
            throw new InvalidKeySpecException("expected " + BEGIN + " ... " + END);
        }
        String base64 = text.substring(BEGIN.length(), text.length() - END.length()).replaceAll("\\s", "");
        byte[] der;
        try {
            der = Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new InvalidKeySpecException("the PEM body is not base64", e);
        }
        return (RSAPublicKey) KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(der));
    }
}
