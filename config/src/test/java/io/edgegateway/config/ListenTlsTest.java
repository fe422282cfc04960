package io.edgegateway.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.edgegateway.testkit.TestCertificate;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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

    @Test
    void http2FloodLimitsHaveDefaultsAndAreRead() throws Exception {
        assertEquals(new Http2FloodLimits(100, Duration.ofSeconds(30), 1_000, 10, 1_000, 2, 16),
                ConfigLoader.parse("", "t.conf").listen().http2().flood());

        Http2FloodLimits read = ConfigLoader.parse("""
                gateway.listen.http2 { max-resets-per-window = 20, reset-window = 1m, max-control-frames-per-second = 500
                  max-settings-per-second = 3, max-queued-control-frames = 50, max-empty-data-frames = 1
                  max-small-continuation-frames = 4 }
                """, "t.conf").listen().http2().flood();

        assertEquals(new Http2FloodLimits(20, Duration.ofMinutes(1), 500, 3, 50, 1, 4), read);
    }

    @Test
    void http2FloodLimitsAreCheckedWithTheirLines() throws Exception {
        Path file = Files.writeString(dir.resolve("flood.conf"), """
                gateway.listen.http2 {
                  max-resets-per-window = 0
                  reset-window = 1500ms
                  max-control-frames-per-second = lots
                  max-setings-per-second = 5
                }
                """);

        assertEquals(List.of(
                file + ":2: gateway.listen.http2.max-resets-per-window: 0 (expected: an integer > 0)",
                file + ":3: gateway.listen.http2.reset-window: \"1500ms\" (expected: a whole number of seconds >= 1s)",
                file + ":4: gateway.listen.http2.max-control-frames-per-second: \"lots\" (expected: an integer > 0)",
                file + ":5: gateway.listen.http2.max-setings-per-second: unknown key (did you mean `max-settings-per-second`?)"),
                problems(file));
    }
}
