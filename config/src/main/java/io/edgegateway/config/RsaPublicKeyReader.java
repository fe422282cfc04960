package io.edgegateway.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.Optional;

/**
 * Reads {@code rs256-public-key}: the PEM itself, or the path of a PEM file, relative to the
 * directory of the configuration file that names it. The key is parsed now so a bad one fails the load.
 */
final class RsaPublicKeyReader {

    private static final String EXPECTED = "an RSA public key PEM (" + PemPublicKey.BEGIN + "...) or the path of one";

    private RsaPublicKeyReader() {
    }

    static Optional<String> read(ConfigValueReader v) {
        return v.nonEmptyString(EXPECTED).flatMap(text -> text.strip().startsWith("-----") ? Optional.of(text) : readFile(v, text))
                .filter(pem -> v.check(parses(pem), EXPECTED));
    }

    private static Optional<String> readFile(ConfigValueReader v, String name) {
        return v.pathNextToConfig(name, EXPECTED).flatMap(file -> read(v, file));
    }

    private static Optional<String> read(ConfigValueReader v, Path file) {
        try {
            return Optional.of(Files.readString(file));
        } catch (NoSuchFileException e) {
            v.problem("no such file: " + file);
        } catch (IOException e) {
            v.problem("cannot read " + file + ": " + e);
        }
        return Optional.empty();
    }

    private static boolean parses(String pem) {
        try {
            PemPublicKey.parse(pem);
            return true;
        } catch (GeneralSecurityException | ClassCastException e) {
            return false;
        }
    }
}
