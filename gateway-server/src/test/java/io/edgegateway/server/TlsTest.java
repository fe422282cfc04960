package io.edgegateway.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgegateway.config.ConfigLoader;
import io.edgegateway.config.GatewayConfig;
import io.edgegateway.loadtest.upstream.MockUpstream;
import io.edgegateway.testkit.TestCertificate;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** TLS on the listener: ALPN, SNI, protocol versions, X-Forwarded-Proto, certificates swapped on reload. */
class TlsTest {

    @TempDir
    Path dir;
    private TestCertificate localhost;
    private TestCertificate api;
    private MockUpstream upstream;
    private GatewayServer gateway;
    private Path configFile;

    @BeforeEach
    void start() throws Exception {
        localhost = TestCertificate.create(dir, "localhost", "localhost");
        api = TestCertificate.create(dir, "api", "api.test");
        upstream = MockUpstream.builder().name("tls-upstream").start();
        configFile = dir.resolve("gateway.conf");
        Files.writeString(configFile, config(""));
        gateway = GatewayServer.start(ConfigLoader.load(configFile), 2);
    }

    private String config(String extra) {
        return """
                gateway {
                  listen { host = "127.0.0.1", port = 0
                           tls { cert-file = localhost.crt, key-file = localhost.key,
                                 sni = [ { hosts = ["api.test"], cert-file = api.crt, key-file = api.key } ] } }
                  admin { host = "127.0.0.1", port = 0 }
                  routes = [ { id = tls, match { path-prefix = "/" }, upstreams = ["http://127.0.0.1:%d"] } ]
                  %s
                }
                """.formatted(upstream.port(), extra);
    }

    @AfterEach
    void stop() {
        gateway.close();
        upstream.close();
    }

    private String url(String host, String path) {
        return "https://" + host + ":" + gateway.port() + path;
    }

    private HttpClient client(HttpClient.Version version) {
        return HttpClient.newBuilder().version(version).sslContext(TestCertificate.trusting(localhost, api))
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    @Test
    void theJdkClientGetsHttp2OverTlsAndTheUpstreamSeesHttps() throws Exception {
        HttpResponse<String> response = client(HttpClient.Version.HTTP_2).send(
                HttpRequest.newBuilder(URI.create(url("localhost", "/echo?x=1"))).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_2);
        var seen = upstream.lastRequest().orElseThrow();
        assertThat(seen.header("x-forwarded-proto")).isEqualTo("https");
        assertThat(seen.header("host")).isEqualTo("localhost:" + gateway.port());
        assertThat(seen.headers("x-http2-stream-id")).as("the HTTP/2 bridge's own headers stay inside").isEmpty();
        assertThat(seen.headers("x-http2-scheme")).isEmpty();
    }

    @Test
    void http11ClientsWithoutAlpnStillGetHttp11() throws Exception {
        HttpResponse<String> response = client(HttpClient.Version.HTTP_1_1).send(
                HttpRequest.newBuilder(URI.create(url("localhost", "/"))).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_1_1);

        ExternalCommand curl = ExternalCommand.run("curl", "-sS", "--http1.1", "--cacert", localhost.certFile().toString(),
                "-o", "/dev/null", "-w", "%{http_code} %{http_version}", url("localhost", "/"));
        assertThat(curl.output()).isEqualTo("200 1.1");
    }

    @Test
    void curlNegotiatesH2() throws Exception {
        ExternalCommand curl = ExternalCommand.run("curl", "-sS", "--http2", "--cacert", localhost.certFile().toString(),
                "-o", "/dev/null", "-w", "%{http_code} %{http_version}", url("localhost", "/"));
        assertThat(curl.output()).isEqualTo("200 2");
    }

    @Test
    void theCertificateFollowsTheServerNameAndTheDefaultCoversTheRest() throws Exception {
        assertThat(servedCertificate("api.test").getSubjectX500Principal().getName()).isEqualTo("CN=api.test");
        assertThat(servedCertificate("other.test").getSubjectX500Principal().getName()).isEqualTo("CN=localhost");

        ExternalCommand curl = ExternalCommand.run("curl", "-sS", "--http2", "--cacert", api.certFile().toString(),
                "--resolve", "api.test:" + gateway.port() + ":127.0.0.1", "-o", "/dev/null", "-w", "%{http_code}",
                url("api.test", "/"));
        assertThat(curl.output()).isEqualTo("200");
    }

    @Test
    void onlyTls12And13AreSpokenAndAlpnOffersH2() throws Exception {
        String connect = "127.0.0.1:" + gateway.port();
        ExternalCommand tls11 = ExternalCommand.runWithInput("", "openssl", "s_client", "-connect", connect, "-tls1_1");
        assertThat(tls11.exitCode()).as(tls11.output()).isNotZero();

        ExternalCommand tls12 = ExternalCommand.runWithInput("", "openssl", "s_client", "-connect", connect, "-tls1_2", "-alpn", "h2,http/1.1");
        assertThat(tls12.output()).contains("Protocol  : TLSv1.2", "ALPN protocol: h2");

        ExternalCommand tls13 = ExternalCommand.runWithInput("", "openssl", "s_client", "-connect", connect, "-tls1_3", "-alpn", "http/1.1");
        assertThat(tls13.output()).contains("TLSv1.3", "ALPN protocol: http/1.1");
    }

    @Test
    void aReloadSwapsTheCertificateForNewConnectionsWhileOpenOnesGoOn() throws Exception {
        try (SSLSocket open = socket(TestCertificate.trusting(localhost), "localhost")) {
            OutputStream out = open.getOutputStream();
            BufferedReader in = new BufferedReader(new InputStreamReader(open.getInputStream(), StandardCharsets.ISO_8859_1));
            assertThat(exchange(out, in)).isEqualTo("HTTP/1.1 200 OK");
            X509Certificate before = (X509Certificate) open.getSession().getPeerCertificates()[0];

            TestCertificate renewed = TestCertificate.create(dir, "localhost", "localhost"); // same files, new key
            GatewayConfig reloaded = ConfigLoader.load(configFile);
            gateway.reload(reloaded);

            assertThat(servedCertificate("localhost")).isEqualTo(renewed.certificate()).isNotEqualTo(before);
            assertThat(exchange(out, in)).as("the connection opened before the reload").isEqualTo("HTTP/1.1 200 OK");
        }
    }

    @Test
    void aKeyThatDoesNotMatchItsCertificateFailsTheStartAndAReloadLeavesTheOldOne() throws Exception {
        Files.copy(api.keyFile(), dir.resolve("localhost.key"), StandardCopyOption.REPLACE_EXISTING);
        GatewayConfig mismatched = ConfigLoader.load(configFile);

        assertThatThrownBy(() -> GatewayServer.start(mismatched, 1)).hasMessageContaining("localhost.crt");
        assertThatThrownBy(() -> gateway.reload(mismatched)).hasMessageContaining("localhost.key");
        assertThat(servedCertificate("localhost")).isEqualTo(localhost.certificate());
    }

    private static String exchange(OutputStream out, BufferedReader in) throws Exception {
        out.write("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        String status = in.readLine();
        int length = 0;
        for (String line = in.readLine(); !line.isEmpty(); line = in.readLine()) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                length = Integer.parseInt(line.substring(15).trim());
            }
        }
        in.skip(length);
        return status;
    }

    /** The leaf certificate a new connection asking for {@code serverName} is given. */
    private X509Certificate servedCertificate(String serverName) throws Exception {
        // Trusts anything: the test looks at what is served, not whether it verifies.
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[] {new X509TrustManager() {
            @Override public void checkClientTrusted(X509Certificate[] chain, String authType) { }
            @Override public void checkServerTrusted(X509Certificate[] chain, String authType) { }
            @Override public X509Certificate[] getAcceptedIssuers() { return new X509Certificate[0]; }
        }}, null);
        try (SSLSocket socket = socket(context, serverName)) {
            socket.startHandshake();
            return (X509Certificate) socket.getSession().getPeerCertificates()[0];
        }
    }

    private SSLSocket socket(SSLContext context, String serverName) throws Exception {
        SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", gateway.port());
        var parameters = socket.getSSLParameters();
        parameters.setServerNames(List.of(new SNIHostName(serverName)));
        socket.setSSLParameters(parameters);
        return socket;
    }
}
