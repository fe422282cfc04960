package io.edgegateway.server.tls;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;

/**
 * A certificate chain and its private key read from PEM files, and checked to belong together: a
 * key that does not match its certificate fails here, on start or reload, instead of failing
 * every handshake after.
 */
record KeyPairFiles(PrivateKey key, List<X509Certificate> chain) {

    private static final String BEGIN = "-----BEGIN PRIVATE KEY-----";
    private static final String END = "-----END PRIVATE KEY-----";
    private static final byte[] PROBE = "edge-gateway key check".getBytes(StandardCharsets.US_ASCII);

    static KeyPairFiles read(Path certFile, Path keyFile) {
        List<X509Certificate> chain;
        try (InputStream in = Files.newInputStream(certFile)) {
            chain = CertificateFactory.getInstance("X.509").generateCertificates(in).stream()
                    .map(X509Certificate.class::cast).toList();
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("listen.tls: cannot read certificates from " + certFile + ": " + e.getMessage(), e);
        }
        if (chain.isEmpty()) {
            throw new IllegalStateException("listen.tls: no certificate in " + certFile);
        }
        PrivateKey key = privateKey(keyFile);
        if (!matches(key, chain.get(0))) {
            throw new IllegalStateException("listen.tls: the key in " + keyFile + " does not belong to the certificate in " + certFile);
        }
        return new KeyPairFiles(key, chain);
    }

    /** A PKCS#8 key ({@code BEGIN PRIVATE KEY}), RSA or EC. */
    private static PrivateKey privateKey(Path keyFile) {
        try {
            String pem = Files.readString(keyFile, StandardCharsets.US_ASCII);
            int begin = pem.indexOf(BEGIN);
            int end = pem.indexOf(END);
            if (begin < 0 || end < begin) {
                throw new IllegalStateException("listen.tls: " + keyFile + " holds no PKCS#8 private key (" + BEGIN
                        + "); convert one with `openssl pkcs8 -topk8 -nocrypt`");
            }
            byte[] der = Base64.getMimeDecoder().decode(pem.substring(begin + BEGIN.length(), end));
            PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
            for (String algorithm : List.of("RSA", "EC")) {
                try {
                    return KeyFactory.getInstance(algorithm).generatePrivate(spec);
                } catch (GeneralSecurityException wrongAlgorithm) {
                    // try the next one
                }
            }
            throw new IllegalStateException("listen.tls: the key in " + keyFile + " is neither RSA nor EC");
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalStateException("listen.tls: cannot read the key in " + keyFile + ": " + e.getMessage(), e);
        }
    }

    private static boolean matches(PrivateKey key, X509Certificate certificate) {
        String algorithm = "EC".equals(key.getAlgorithm()) ? "SHA256withECDSA" : "SHA256withRSA";
        try {
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(PROBE);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(certificate.getPublicKey());
            verifier.update(PROBE);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false; // e.g. an EC key with an RSA certificate
        }
    }
}
