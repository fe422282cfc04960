package io.edgegateway.config;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.util.Optional;

/**
 * Reads the path of a PEM certificate chain or private key, relative to the configuration file
 * that names it, and checks the file now, so a wrong path or a swapped cert and key fails the load
 * with the key's file and line rather than the first handshake.
 */
final class PemFileReader {

    static final String CERTIFICATES = "a PEM file of X.509 certificates (-----BEGIN CERTIFICATE-----)";
    static final String PRIVATE_KEY = "a PEM file of a PKCS#8 private key (-----BEGIN PRIVATE KEY-----)";

    private PemFileReader() {
    }

    static Optional<Path> certificates(ConfigValueReader v) {
        return file(v, CERTIFICATES).filter(file -> v.check(holdsCertificates(file), CERTIFICATES + "; " + file + " is not one"));
    }

    static Optional<Path> privateKey(ConfigValueReader v) {
        return file(v, PRIVATE_KEY).filter(file -> v.check(holdsPrivateKey(file), PRIVATE_KEY + "; " + file + " is not one"));
    }

    private static Optional<Path> file(ConfigValueReader v, String expected) {
        return v.nonEmptyString(expected)
                .flatMap(name -> v.pathNextToConfig(name, expected))
                .filter(file -> isReadable(v, file))
                .map(Path::toAbsolutePath);
    }

    private static boolean isReadable(ConfigValueReader v, Path file) {
        if (!Files.isReadable(file)) {
            v.problem(Files.exists(file) ? "cannot read " + file : "no such file: " + file);
            return false;
        }
        return true;
    }

    private static boolean holdsCertificates(Path file) {
        try {
            byte[] pem = Files.readAllBytes(file);
            return !CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(pem)).isEmpty();
        } catch (IOException | CertificateException e) {
            return false;
        }
    }

    private static boolean holdsPrivateKey(Path file) {
        try {
            String pem = Files.readString(file, StandardCharsets.US_ASCII);
            return pem.contains("-----BEGIN PRIVATE KEY-----");
        } catch (IOException e) {
            return false;
        }
    }
}
