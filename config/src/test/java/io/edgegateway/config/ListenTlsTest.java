package io.edgegateway.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.edgegateway.testkit.TestCertificate;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code listen.tls} and {@code listen.http2}: files relative to the config file, checked at load. */
class ListenTlsTest {

    @TempDir
    static Path dir;
    static TestCertificate gateway;
    static TestCertificate api;

    @BeforeAll
    static void certificates() throws Exception {
        Files.createDirectories(dir.resolve("tls"));
        gateway = TestCertificate.create(dir.resolve("tls"), "gateway", "localhost");
        api = TestCertificate.create(dir.resolve("tls"), "api", "api.example.com");
    }

    private static List<String> problems(Path file) {
        InvalidConfigException e = assertThrows(InvalidConfigException.class, () -> ConfigLoader.load(file));
        return e.problems().stream().map(ConfigProblem::toString).toList();
    }

    @Test
    void filesAreReadRelativeToTheConfigFile() throws Exception {
        Path file = Files.writeString(dir.resolve("ok.conf"), """
                gateway.listen.tls {
                  cert-file = tls/gateway.crt
                  key-file = tls/gateway.key
                  sni = [ { hosts = ["api.example.com", "*.example.org"], cert-file = tls/api.crt, key-file = tls/api.key } ]
                }
                """);

        TlsConfig tls = ConfigLoader.load(file).listen().tls().orElseThrow();

        assertEquals(gateway.certFile().toAbsolutePath(), tls.certFile());
        assertEquals(gateway.keyFile().toAbsolutePath(), tls.keyFile());
        assertEquals(List.of(new TlsConfig.SniCertificate(List.of("api.example.com", "*.example.org"),
                api.certFile().toAbsolutePath(), api.keyFile().toAbsolutePath())), tls.sni());
    }

    @Test
    void withoutTlsTheListenerIsClearTextWithHttp2() throws Exception {
        GatewayConfig config = ConfigLoader.parse("gateway.listen.port = 8443", "t.conf");

        assertEquals(ListenConfig.plain("0.0.0.0", 8443), config.listen());
        assertEquals(Http2Config.DEFAULT, config.listen().http2());
    }

    @Test
    void aMissingFileASwappedKeyAndABadServerNameAreEachReportedWithTheirLine() throws Exception {
        Path file = Files.writeString(dir.resolve("bad.conf"), """
                gateway.listen.tls {
                  cert-file = tls/gateway.key
                  key-file = tls/missing.key
                  sni = [ { hosts = ["api example com"], cert-file = tls/api.crt, key-file = tls/api.crt } ]
                }
                """);

        assertEquals(List.of(
                file + ":2: gateway.listen.tls.cert-file: \"tls/gateway.key\" (expected: " + PemFileReader.CERTIFICATES + "; "
                        + gateway.keyFile().toAbsolutePath() + " is not one)",
                file + ":3: gateway.listen.tls.key-file: no such file: " + dir.resolve("tls/missing.key"),
                file + ":4: gateway.listen.tls.sni[0].hosts[0]: \"api example com\" (expected: a server name such as api.example.com or *.example.com)",
                file + ":4: gateway.listen.tls.sni[0].key-file: \"tls/api.crt\" (expected: " + PemFileReader.PRIVATE_KEY + "; "
                        + api.certFile().toAbsolutePath() + " is not one)"),
                problems(file));
    }

    @Test
    void http2LimitsAreChecked() throws Exception {
        Path file = Files.writeString(dir.resolve("h2.conf"), """
                gateway.listen.http2 { max-concurrent-streams = 0, max-frame-size = 1k, initial-window-size = 3g }
                """);

        List<String> problems = problems(file);

        assertEquals(3, problems.size(), problems.toString());
        assertEquals(List.of(true, true, true), List.of(
                problems.get(0).contains("gateway.listen.http2.initial-window-size"),
                problems.get(1).contains("gateway.listen.http2.max-concurrent-streams"),
                problems.get(2).contains("gateway.listen.http2.max-frame-size")));
    }
}
