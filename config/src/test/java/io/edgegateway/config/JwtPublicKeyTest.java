package io.edgegateway.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPublicKey;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code rs256-public-key} is a PEM or the path of one, relative to the file that names it. */
class JwtPublicKeyTest {

    private static RSAPublicKey key;
    private static String pem;

    @TempDir
    Path dir;

    @BeforeAll
    static void generateKey() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        key = (RSAPublicKey) generator.generateKeyPair().getPublic();
        pem = "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(key.getEncoded())
                + "\n-----END PUBLIC KEY-----\n";
    }

    @Test
    void inlinePem() throws Exception {
        GatewayConfig config = ConfigLoader.parse(
                "gateway.identity.sources = [ { type = jwt, rs256-public-key = \"\"\"" + pem + "\"\"\" } ]", "t.conf");

        JwtIdentity jwt = (JwtIdentity) config.identity().sources().get(0);
        assertEquals(key, PemPublicKey.parse(jwt.rs256PublicKeyPem().orElseThrow()));
    }

    @Test
    void pathRelativeToTheConfigFile() throws Exception {
        Files.createDirectories(dir.resolve("keys"));
        Files.writeString(dir.resolve("keys/jwt.pem"), pem);
        Path file = Files.writeString(dir.resolve("gateway.conf"),
                "gateway.identity.sources = [ { type = jwt, rs256-public-key = keys/jwt.pem } ]");

        JwtIdentity jwt = (JwtIdentity) ConfigLoader.load(file).identity().sources().get(0);

        assertEquals(pem, jwt.rs256PublicKeyPem().orElseThrow());
    }

    @Test
    void notAKey() throws Exception {
        Path file = Files.writeString(dir.resolve("gateway.conf"),
                "gateway.identity.sources = [ { type = jwt, rs256-public-key = \"-----BEGIN PUBLIC KEY-----\\nAAAA\\n-----END PUBLIC KEY-----\" } ]");

        InvalidConfigException e = assertThrows(InvalidConfigException.class, () -> ConfigLoader.load(file));

        assertEquals(List.of(file + ":1: gateway.identity.sources[0].rs256-public-key: \"-----BEGIN PUBLIC KEY-----\\nAAAA\\n"
                        + "-----END PUBLIC KEY-----\" (expected: an RSA public key PEM (-----BEGIN PUBLIC KEY-----...) or the path of one)"),
                e.problems().stream().map(ConfigProblem::toString).toList());
    }
}
